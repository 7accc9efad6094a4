import {
  countConnectionsByProviderAndStatus,
  lastErrorCodes,
  listConnections,
  refreshActivity,
  type ListConnectionsQuery,
} from '@tokenlane/db';
import type { ConnectionId } from '@tokenlane/core';
import type { Runtime } from '@tokenlane/runtime';
import { sql } from 'kysely';
import { openBenchRuntime, type Infra } from './infra.js';

/** One measured console read: its median and worst time over the runs, and its plan. */
export interface ConsoleMeasure {
  readonly name: string;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly rows: number;
}

export interface ConsoleResult {
  readonly total: number;
  readonly events: number;
  readonly measures: readonly ConsoleMeasure[];
  /** EXPLAIN (ANALYZE, BUFFERS) of each list page and of the chart's count. */
  readonly plans: readonly { name: string; plan: string }[];
}

const PAGE = 51; // the console's 50 rows and one more to know a next page exists
const RUNS = 15;

/**
 * `total` connections spread like a real install (13 providers; 90 % active, 3 % degraded,
 * 2 % reauth_required, 5 % revoked; 5 % with a last error code; created over a year) and as
 * many refresh events in the last 24 hours, in single INSERT … SELECTs.
 */
async function seed(rt: Runtime, total: number): Promise<void> {
  await sql`insert into connections
      (id, user_id, provider, status, last_error_code, token_version, created_at)
    select gen_random_uuid(), 'user-' || g, 'provider-' || (g % 13),
      case when g % 100 < 90 then 'active' when g % 100 < 93 then 'degraded'
           when g % 100 < 95 then 'reauth_required' else 'revoked' end,
      case when g % 20 = 7 then (array['timeout','network','provider_unavailable','invalid_request'])[1 + (g / 20) % 4] end,
      1, now() - (g * interval '31 seconds')
    from generate_series(1, ${total}::int) as g`.execute(rt.db);
  await sql`insert into events (id, type, connection_id, user_id, provider, data, created_at, delivered_at)
    select gen_random_uuid(),
      case when g % 50 = 0 then 'connection.refresh_failed' else 'connection.refreshed' end,
      gen_random_uuid(), 'user-' || g, 'provider-' || (g % 13), '{}'::jsonb,
      now() - (g * interval '1 day' / ${total}::int), now()
    from generate_series(1, ${total}::int) as g`.execute(rt.db);
  await sql`analyze connections`.execute(rt.db);
  await sql`analyze events`.execute(rt.db);
}

async function measure(name: string, run: () => Promise<number>): Promise<ConsoleMeasure> {
  const times: number[] = [];
  let rows = 0;
  await run(); // warm the cache: an operator's second click, not the first after a restart
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    rows = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { name, medianMs: times[Math.floor(RUNS / 2)] ?? 0, maxMs: times[RUNS - 1] ?? 0, rows };
}

/** The list statement `listConnections` sends, for EXPLAIN. */
async function explain(rt: Runtime, query: ListConnectionsQuery): Promise<string> {
  const compiled = rt.db
    .selectFrom('connections')
    .selectAll()
    .$if(query.userId !== undefined, (q) => q.where('user_id', '=', query.userId ?? ''))
    .$if(query.provider !== undefined, (q) => q.where('provider', '=', query.provider ?? ''))
    .$if(query.status !== undefined, (q) => q.where('status', '=', query.status ?? 'active'))
    .$if(query.lastErrorCode !== undefined, (q) =>
      q.where('last_error_code', '=', query.lastErrorCode ?? ''),
    )
    .$if(query.after !== undefined, (q) =>
      q.where(
        sql<boolean>`(created_at, id) > (select c.created_at, c.id from connections c where c.id = ${query.after})`,
      ),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(query.limit)
    .compile();
  // EXPLAIN takes no bind parameters: the bench's own values are inlined as literals.
  let text = compiled.sql;
  compiled.parameters.forEach((value, i) => {
    text = text.replace(new RegExp(`\\$${i + 1}(?!\\d)`), `'${String(value).replace(/'/g, "''")}'`);
  });
  const plain = await sql<{ 'QUERY PLAN': string }>`${sql.raw(
    `explain (analyze, buffers, costs off) ${text}`,
  )}`.execute(rt.db);
  return plain.rows.map((row) => row['QUERY PLAN']).join('\n');
}

/** Section 6: the console's reads at `total` connections (docs/operations.md, "Console"). */
export async function benchConsole(infra: Infra, total: number): Promise<ConsoleResult> {
  const { rt, close } = await openBenchRuntime(infra, 'console');
  try {
    await seed(rt, total);
    const middle = await sql<{ id: ConnectionId }>`select id from connections
      order by created_at, id offset ${Math.floor(total / 2)} limit 1`.execute(rt.db);
    const after = middle.rows[0]?.id;
    const list = (query: Omit<ListConnectionsQuery, 'limit'>) => async () =>
      (await listConnections(rt.db, { ...query, limit: PAGE })).length;
    const cases: [string, Omit<ListConnectionsQuery, 'limit'>][] = [
      ['list, first page', {}],
      ['list, page at the middle (cursor)', { after }],
      ['status=degraded (3 %)', { status: 'degraded' }],
      ['status=degraded, page at the middle', { status: 'degraded', after }],
      ['provider + status=reauth_required', { provider: 'provider-3', status: 'reauth_required' }],
      ['provider only', { provider: 'provider-5', after }],
      ['last error code=timeout', { lastErrorCode: 'timeout' }],
      ['user id', { userId: `user-${Math.floor(total / 3)}` }],
    ];
    const measures: ConsoleMeasure[] = [];
    for (const [name, query] of cases) measures.push(await measure(name, list(query)));
    measures.push(
      await measure(
        'overview: counts by provider and status',
        async () => (await countConnectionsByProviderAndStatus(rt.db)).length,
      ),
      await measure(
        'overview: refreshes per hour, 24 h (first load)',
        async () => (await refreshActivity(rt.db, new Date(Date.now() - 24 * 3_600_000))).length,
      ),
      // The console keeps settled hours in memory: later loads count the current hour only.
      await measure(
        'overview: refreshes, current hour (later loads)',
        async () =>
          (await refreshActivity(rt.db, new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000)))
            .length,
      ),
      await measure(
        'filter: distinct last error codes',
        async () => (await lastErrorCodes(rt.db)).length,
      ),
    );
    const plans: { name: string; plan: string }[] = [];
    for (const [name, query] of cases) {
      plans.push({ name, plan: await explain(rt, { ...query, limit: PAGE }) });
    }
    const chart = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers, costs off)
      select date_trunc('hour', created_at), count(*) from events
      where type in ('connection.refreshed', 'connection.refresh_failed')
        and created_at >= now() - interval '24 hours'
      group by 1`.execute(rt.db);
    plans.push({
      name: 'refreshes per hour, 24 h',
      plan: chart.rows.map((row) => row['QUERY PLAN']).join('\n'),
    });
    return { total, events: total, measures, plans };
  } finally {
    await close();
  }
}

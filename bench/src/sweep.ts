import { randomUUID } from 'node:crypto';
import { sweepDueRefreshes } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { openBenchRuntime, PROVIDER, usedMemory, type Infra } from './infra.js';

export interface SweepResult {
  readonly total: number;
  readonly due: number;
  readonly enqueued: number;
  readonly sweepMs: number;
  readonly idleSweepMs: number;
  readonly indexScan: boolean;
  readonly plan: string;
  readonly bytesPerScheduledJob: number;
  readonly bytesPerIdleConnection: number;
  /** Bare BullMQ: `addBulk` of as many delayed jobs, on the same Redis. */
  readonly bareAddBulkMs: number;
}

const LOOK_AHEAD_MS = 15 * 60_000;

/** Inserts `count` active connections due at now + `dueIn`, in one INSERT … SELECT. */
async function seed(rt: Runtime, from: number, count: number, dueIn: string): Promise<void> {
  await sql`insert into connections
      (id, user_id, provider, status, access_token_enc, refresh_token_enc, token_type,
       expires_at, refresh_due_at, token_version)
    select gen_random_uuid(), 'user-' || g, ${PROVIDER}, 'active', 'x', 'x', 'Bearer',
       now() + interval '1 hour', now() + ${dueIn}::interval, 1
    from generate_series(${from}::int, ${from + count - 1}::int) as g`.execute(rt.db);
}

/**
 * Sections 2 and 3: the time to find and enqueue the due 1 % among `total` connections, the
 * due query's plan, and Redis bytes per scheduled refresh job and per idle connection.
 */
export async function benchSweep(infra: Infra, total: number): Promise<SweepResult> {
  const { rt, redis, close } = await openBenchRuntime(infra, 'sweep');
  try {
    const due = Math.round(total / 100);
    const idle = total - due;
    // Idle: due in a day, far outside the look-ahead window.
    await seed(rt, 0, idle, '1 day');
    await sql`analyze connections`.execute(rt.db);
    const beforeIdle = await usedMemory(redis);
    let started = performance.now();
    const idleSweep = await sweepDueRefreshes(rt, { lookAheadMs: LOOK_AHEAD_MS });
    const idleSweepMs = performance.now() - started;
    const afterIdle = await usedMemory(redis);
    if (idleSweep.enqueued !== 0) throw new Error(`idle sweep enqueued ${idleSweep.enqueued}`);

    // Due: within the window (10 minutes), so the jobs wait delayed in Redis.
    await seed(rt, idle, due, '10 minutes');
    await sql`analyze connections`.execute(rt.db);
    const before = await usedMemory(redis);
    started = performance.now();
    const { enqueued } = await sweepDueRefreshes(rt, { lookAheadMs: LOOK_AHEAD_MS });
    const sweepMs = performance.now() - started;
    const after = await usedMemory(redis);

    const until = new Date(Date.now() + LOOK_AHEAD_MS);
    // The same statement as @tokenlane/db's dueConnectionsQuery → findDueRefreshes.
    const explained = await sql<{ 'QUERY PLAN': string }>`explain
      select id, refresh_due_at from connections
      where status in ('active', 'degraded') and refresh_due_at is not null
        and refresh_due_at <= ${until} order by refresh_due_at limit ${20_000}`.execute(rt.db);
    const plan = explained.rows.map((row) => row['QUERY PLAN']).join('\n');
    await rt.queues.queue('refresh').obliterate({ force: true });
    const bareAddBulkMs = await bareAddBulk(rt, due);
    return {
      total,
      due,
      enqueued,
      sweepMs,
      idleSweepMs,
      indexScan: /Index (Only )?Scan using connections_refresh_due_idx/.test(plan),
      plan,
      bytesPerScheduledJob: (after - before) / Math.max(1, enqueued),
      bytesPerIdleConnection: (afterIdle - beforeIdle) / idle,
      bareAddBulkMs,
    };
  } finally {
    await close();
  }
}

/** The floor under a sweep: BullMQ alone adding `count` delayed jobs with ids, in one call. */
async function bareAddBulk(rt: Runtime, count: number): Promise<number> {
  const queue = new Queue('bare-add', {
    connection: rt.workerConnection,
    prefix: rt.config.queuePrefix,
  });
  try {
    const jobs = Array.from({ length: count }, () => {
      const id = randomUUID();
      return {
        name: 'refresh',
        data: { connectionId: id, trigger: 'schedule' },
        opts: { jobId: `refresh-${id}`, delay: 600_000, removeOnComplete: true },
      };
    });
    const started = performance.now();
    await queue.addBulk(jobs);
    return performance.now() - started;
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

// npm run bench [-- --quick]: tokenlane against the bare parts it is built on (issue 7).
import { benchHttp } from './http.js';
import { startInfra } from './infra.js';
import { benchRefresh } from './refresh.js';
import { fmt, machine, table, writeResults, type Row } from './report.js';
import { benchSweep } from './sweep.js';

const quick = process.argv.includes('--quick');
const mode = quick ? 'quick' : 'full';
const N = quick ? 2_000 : 20_000;
const SWEEP_SIZES = quick ? [20_000, 100_000] : [100_000, 1_000_000];
const HTTP_REQUESTS = quick ? 2_000 : 10_000;
const STAMPEDE = 1_000;
const SECTION_TIMEOUT_MS = quick ? 60_000 : 300_000;

const rows: Row[] = [];
const raw: Record<string, unknown> = { mode };
const notes: string[] = [];
const pct = (x: number) => `${fmt(x * 100)} %`;

/** Runs one section under a time limit; a failure is reported and the others still run. */
async function section(name: string, run: () => Promise<void>): Promise<void> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${SECTION_TIMEOUT_MS} ms`));
    }, SECTION_TIMEOUT_MS);
  });
  try {
    await Promise.race([run(), limit]);
    console.error(`✓ ${name} (${fmt((performance.now() - started) / 1000, 1)} s)`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    rows.push({ section: name, metric: 'FAILED', value: message.slice(0, 80), ratio: '' });
    raw[name] = { error: message };
    console.error(`✗ ${name}: ${message}`);
  } finally {
    clearTimeout(timer);
  }
}

let stopInfra: () => Promise<void> = async () => undefined;
/** Stops our redis-server, Postgres and token endpoint before exiting early. */
const bail = (code: number, why: string) => {
  console.error(`bench: ${why}, stopping`);
  void stopInfra().finally(() => process.exit(code));
};
setTimeout(
  () => {
    bail(2, 'overall time limit reached');
  },
  quick ? 280_000 : 1_800_000,
).unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    bail(130, signal);
  });
}

console.error(`tokenlane bench (${mode}) on`, machine());
const infra = await startInfra();
stopInfra = () => infra.stop();
try {
  await section('1 refresh', async () => {
    const r = await benchRefresh(infra, N, SECTION_TIMEOUT_MS);
    raw.refresh = r;
    const s = '1 refresh';
    rows.push(
      {
        section: s,
        metric: `tokenlane refreshes/s (N=${fmt(N)}, c=${r.concurrency})`,
        value: fmt(r.refreshPerSec),
        ratio: `${fmt(r.ratio, 2)}× noop (goal ≥ 0.5)`,
      },
      { section: s, metric: 'bare BullMQ no-op jobs/s', value: fmt(r.noopPerSec), ratio: '1.00×' },
      {
        section: s,
        metric: 'bare UPDATE by id/s',
        value: fmt(r.updatePerSec),
        ratio: `${fmt(r.refreshPerSec / r.updatePerSec, 2)}× refresh/update`,
      },
      {
        section: s,
        metric: 'bare token endpoint grants/s',
        value: fmt(r.grantPerSec),
        ratio: `${fmt(r.refreshPerSec / r.grantPerSec, 2)}× refresh/grant`,
      },
      {
        section: s,
        metric: 'mean refreshConnection time',
        value: `${fmt(r.meanHandlerMs, 1)} ms`,
        ratio: `c/mean = ${fmt(r.concurrency / (r.meanHandlerMs / 1000))}/s ceiling`,
      },
      {
        section: s,
        metric: 'refreshed / token grants',
        value: `${fmt(r.refreshed)} / ${fmt(r.grants)}`,
        ratio: pct(r.refreshed / N),
      },
    );
  });
  const sweeps: unknown[] = [];
  raw.sweep = sweeps;
  for (const total of SWEEP_SIZES) {
    await section(`2+3 sweep ${fmt(total)}`, async () => {
      const r = await benchSweep(infra, total);
      sweeps.push(r);
      const s = `2 sweep ${fmt(total)}`;
      const first = sweeps[0] as { sweepMs: number; due: number } | undefined;
      rows.push(
        {
          section: s,
          metric: `find+enqueue ${fmt(r.due)} due (1 %)`,
          value: `${fmt(r.sweepMs)} ms`,
          ratio:
            first === undefined || first === r
              ? `${fmt((r.sweepMs / Math.max(1, r.due)) * 1000, 1)} µs/due`
              : `${fmt(r.sweepMs / first.sweepMs, 1)}× for ${fmt(r.due / first.due, 1)}× due`,
        },
        {
          section: s,
          metric: 'sweep with none due',
          value: `${fmt(r.idleSweepMs, 1)} ms`,
          ratio: `${fmt(r.idleSweepMs / r.sweepMs, 3)}× due sweep`,
        },
        {
          section: s,
          metric: 'due query plan',
          value: r.indexScan ? 'index scan (connections_refresh_due_idx)' : 'NOT an index scan',
          ratio: '',
        },
        {
          section: '3 redis',
          metric: `bytes/scheduled refresh (${fmt(total)})`,
          value: fmt(r.bytesPerScheduledJob),
          ratio: `${fmt(r.bytesPerScheduledJob / r.bytesPerScheduledJob)}× (base)`,
        },
        {
          section: '3 redis',
          metric: `bytes/idle connection (${fmt(total)})`,
          value: fmt(r.bytesPerIdleConnection, 2),
          ratio: `${fmt(r.bytesPerIdleConnection / r.bytesPerScheduledJob, 4)}× scheduled (goal 0)`,
        },
      );
      notes.push(`EXPLAIN at ${fmt(total)} rows:\n\n\`\`\`\n${r.plan}\n\`\`\``);
    });
  }
  await section('4+5 http', async () => {
    const r = await benchHttp(infra, HTTP_REQUESTS, STAMPEDE);
    raw.http = r;
    rows.push(
      {
        section: '4 links',
        metric: `POST /v1/links p50 / p99 (c=${r.links.concurrency})`,
        value: `${fmt(r.links.p50Ms, 1)} / ${fmt(r.links.p99Ms, 1)} ms`,
        ratio: `p99 = ${fmt(r.links.p99Ms / r.links.p50Ms, 1)}× p50`,
      },
      {
        section: '4 links',
        metric: 'POST /v1/links req/s (errors)',
        value: `${fmt(r.links.perSec)} (${r.links.errors})`,
        ratio: `${fmt(r.links.perSec / r.tokens.perSec, 2)}× token API`,
      },
      {
        section: '4 links',
        metric: `callback → exchange → redirect p50 / p99 (c=${r.callbacks.concurrency})`,
        value: `${fmt(r.callbacks.p50Ms, 1)} / ${fmt(r.callbacks.p99Ms, 1)} ms`,
        ratio: `${fmt(r.callbacks.p50Ms / r.links.p50Ms, 1)}× POST p50; ${r.callbacks.exchanged}/${r.callbacks.requests} active, ${r.callbacks.errors} errors`,
      },
      {
        section: '5 token',
        metric: `GET token req/s, valid (c=${r.tokens.concurrency})`,
        value: `${fmt(r.tokens.perSec)} (${r.tokens.errors} errors)`,
        ratio: `p99 ${fmt(r.tokens.p99Ms, 1)} ms`,
      },
      {
        section: '5 token',
        metric: `${fmt(STAMPEDE)} callers, expired → grants`,
        value: fmt(r.stampede.grants),
        ratio: `${fmt(r.stampede.grants)}× (goal 1)`,
      },
      {
        section: '5 token',
        metric: 'their wait p50 / p99 (errors)',
        value: `${fmt(r.stampede.p50Ms)} / ${fmt(r.stampede.p99Ms)} ms (${r.stampede.errors})`,
        ratio: `p99 = ${fmt(r.stampede.p99Ms / r.tokens.p99Ms, 1)}× valid p99`,
      },
    );
  });
} finally {
  await infra.stop();
}
console.log(table(rows));
const path = await writeResults(mode, rows, raw, notes);
console.error(`results: ${path}`);
process.exit(0);

// Section 9's worker: a process of its own, started by `fork` from latency.ts and kept for
// every step (warm, as a deployed worker is), so its CPU and memory are the worker's alone:
// seeding and the sweep stay in the bench process. Asked over IPC for each step with the
// bench database's settings; answers `ready` once that step's refresh worker listens, then
// the step's figures once every connection was refreshed; `stop` ends it.
import { on } from 'node:events';
import { refreshBatchConcurrency, refreshBatchJob, refreshesInFlight } from '@tokenlane/lifecycle';
import { startWorkers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { sql } from 'kysely';
import { attachBenchRuntime } from './infra.js';
import { liveBytes } from './live-memory.js';
import { rowCompletions } from './refresh.js';

/** What the bench process asks for. */
export interface WorkerStep {
  readonly env: Readonly<Record<string, string>>;
  readonly concurrency: number;
  /** Each connection's due time (epoch ms), by id. */
  readonly dueAt: readonly (readonly [string, number])[];
  readonly timeoutMs: number;
  /** Take live memory with the concurrency in flight (full collections: not a timed step). */
  readonly live: boolean;
}

/** What this process answers once the step is done. */
export interface WorkerFigures {
  /** CPU this process used from `ready` to the last refresh, µs. */
  readonly cpuUs: number;
  /** Due → done of every refresh, ms, sorted. */
  readonly dueToDoneMs: readonly number[];
  readonly peakInFlight: number;
  readonly refreshed: number;
  /** RSS when the worker was ready (nothing due yet), and its peak during the step. */
  readonly rssReady: number;
  readonly rssPeak: number;
  /** Live memory with the concurrency in flight less at `ready` (NaN unless asked), and how many were in flight. */
  readonly liveHeld: number;
  readonly liveInFlight: number;
}

const steps = on(process, 'message') as AsyncIterableIterator<[WorkerStep | 'stop']>;
let rt: Runtime | undefined;
for await (const [asked] of steps) {
  if (asked === 'stop') break;
  rt ??= await attachBenchRuntime(asked.env);
  process.send?.(await runStep(rt, asked));
}
await rt?.close();
process.exit(0);

/**
 * One step: the refresh-batch worker at the step's concurrency (rows in flight) until every
 * connection was refreshed. Due → done is read from each row's `last_refreshed_at` (the
 * provider's answer) once the step is over, so timing costs the worker nothing meanwhile.
 */
async function runStep(rt: Runtime, step: WorkerStep): Promise<WorkerFigures> {
  const dueAt = new Map(step.dueAt);
  let peakInFlight = 0;
  let refreshed = 0;
  const live = { before: 0, held: Number.NaN, inFlight: 0 };
  const rows = rowCompletions(dueAt.size, step.timeoutMs);
  // The worker's own job, counting the rows each batch ended.
  const countedJob: typeof refreshBatchJob = {
    ...refreshBatchJob,
    run: async (deps, payload, control) => {
      const result = await refreshBatchJob.run(deps, payload, control);
      refreshed += result.refreshed;
      rows.ended(result.started);
      return result;
    },
  };
  // The step's refresh width, as TOKENLANE_REFRESH_CONCURRENCY sets it in a deployed worker.
  const deps = { ...rt, config: { ...rt.config, refreshConcurrency: step.concurrency } };
  const [worker] = startWorkers([countedJob], deps, {
    connection: rt.workerConnection,
    prefix: rt.config.queuePrefix,
    concurrency: { [refreshBatchJob.name]: refreshBatchConcurrency(step.concurrency) },
  });
  if (worker === undefined) throw new Error('no refresh-batch worker');
  try {
    await worker.waitUntilReady();
    if (step.live) live.before = liveBytes();
    let rssPeak = process.memoryUsage().rss;
    const rssReady = rssPeak;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      const inFlight = refreshesInFlight();
      peakInFlight = Math.max(peakInFlight, inFlight);
      // Once, when (nearly) the whole concurrency is in flight.
      if (step.live && live.inFlight === 0 && inFlight >= Math.floor(step.concurrency * 0.95)) {
        live.inFlight = inFlight;
        live.held = liveBytes() - live.before;
      }
    }, 20);
    const cpu = process.cpuUsage();
    process.send?.('ready');
    await rows.done;
    const used = process.cpuUsage(cpu);
    clearInterval(sampler);
    return {
      cpuUs: used.user + used.system,
      dueToDoneMs: await dueToDone(rt, dueAt),
      peakInFlight,
      refreshed,
      rssReady,
      rssPeak,
      liveHeld: live.held,
      liveInFlight: live.inFlight,
    };
  } finally {
    await worker.close();
  }
}

/** Each refreshed row's due → answered time, ms, sorted. */
async function dueToDone(rt: Runtime, dueAt: ReadonlyMap<string, number>): Promise<number[]> {
  const { rows } = await sql<{ id: string; at: Date | null }>`
    select id, last_refreshed_at as at from connections where id = any(${[...dueAt.keys()]}::uuid[])`.execute(
    rt.db,
  );
  return rows
    .flatMap((row) => (row.at === null ? [] : [row.at.getTime() - (dueAt.get(row.id) ?? 0)]))
    .sort((a, b) => a - b);
}

// Section 9's worker: a process of its own, started by `fork` from latency.ts and kept for
// every step (warm, as a deployed worker is), so its CPU and memory are the worker's alone:
// seeding and the sweep stay in the bench process. Asked over IPC for each step with the
// bench database's settings; answers `ready` once that step's refresh worker listens, then
// the step's figures once every connection was refreshed; `stop` ends it.
import { on } from 'node:events';
import { refreshJob } from '@tokenlane/lifecycle';
import { startWorkers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { attachBenchRuntime } from './infra.js';
import { liveBytes } from './live-memory.js';
import { completions } from './refresh.js';

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

/** One step: a refresh worker at the step's concurrency until every connection was refreshed. */
async function runStep(rt: Runtime, step: WorkerStep): Promise<WorkerFigures> {
  const dueAt = new Map(step.dueAt);
  const doneAt: number[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  let refreshed = 0;
  const live = { before: 0, held: Number.NaN, inFlight: 0 };
  // The worker's own job, timing each refresh from its due time to done.
  const timedJob: typeof refreshJob = {
    ...refreshJob,
    run: async (deps, payload, control) => {
      inFlight += 1;
      peakInFlight = Math.max(peakInFlight, inFlight);
      if (step.live && live.inFlight === 0 && inFlight >= Math.floor(step.concurrency * 0.95)) {
        live.inFlight = -1;
        // Once, when (nearly) the whole concurrency is in flight.
        setImmediate(() => {
          live.inFlight = inFlight;
          live.held = liveBytes() - live.before;
        });
      }
      try {
        const outcome = await refreshJob.run(deps, payload, control);
        if (outcome.status === 'refreshed') refreshed += 1;
        doneAt.push(Date.now() - (dueAt.get(payload.connectionId) ?? Date.now()));
        return outcome;
      } finally {
        inFlight -= 1;
      }
    },
  };
  const [worker] = startWorkers([timedJob], rt, {
    connection: rt.workerConnection,
    prefix: rt.config.queuePrefix,
    concurrency: { refresh: step.concurrency },
  });
  if (worker === undefined) throw new Error('no refresh worker');
  try {
    await worker.waitUntilReady();
    const done = completions(worker, dueAt.size, step.timeoutMs);
    if (step.live) live.before = liveBytes();
    let rssPeak = process.memoryUsage().rss;
    const rssReady = rssPeak;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 50);
    const cpu = process.cpuUsage();
    process.send?.('ready');
    await done;
    const used = process.cpuUsage(cpu);
    clearInterval(sampler);
    return {
      cpuUs: used.user + used.system,
      dueToDoneMs: doneAt.sort((a, b) => a - b),
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

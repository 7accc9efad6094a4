import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { sweepDueRefreshes } from '@tokenlane/lifecycle';
import pg from 'pg';
import { openBenchRuntime, startTokenEndpoint, type Infra } from './infra.js';
import type { WorkerFigures, WorkerStep } from './latency-worker.js';
import { seedConnections } from './refresh.js';

/** The provider's answer time in this section: 200 ms ± 50 ms, uniform. */
export const LATENCY_MS = 200;
export const JITTER_MS = 50;
/** Connections fall due at this share of what `concurrency` refreshes in flight can answer. */
const OFFERED_LOAD = 0.8;

/** One step: one worker process at one refresh concurrency. */
export interface LatencyStep {
  readonly concurrency: number;
  readonly n: number;
  /** Connections falling due per second. */
  readonly offeredPerSec: number;
  readonly perSec: number;
  readonly cpuMsPerRefresh: number;
  readonly peakInFlight: number;
  /** The worker's peak RSS above its RSS when ready, per refresh in flight at the peak. */
  readonly rssKbPerInFlight: number;
  /** RSS of the step's worker process when it was ready (nothing due yet), and its peak, MB. */
  readonly rssReadyMb: number;
  readonly rssPeakMb: number;
  /**
   * Memory held per refresh in flight: live memory (after a full collection) with the
   * concurrency in flight, less live memory before the first was due; NaN in a timed step.
   */
  readonly liveKbPerInFlight: number;
  readonly p50DueToDoneMs: number;
  readonly p99DueToDoneMs: number;
  /** Postgres connections of the database (the worker's pool and the bench process's): peak running a query, and open. */
  readonly pgActivePeak: number;
  readonly pgOpenPeak: number;
  readonly refreshed: number;
}

/**
 * Section 9: refreshes at a provider's real latency. Each step seeds connections falling due
 * at a steady rate (80 % of `concurrency` ÷ 250 ms) over `seconds`, sweeps them into delayed
 * jobs once, and runs the worker's own refresh handler at `concurrency` in a fresh process of
 * its own (latency-worker.ts), whose CPU and RSS are the figures. Past the knee, the worker's
 * CPU, not the concurrency, sets the pace, and due → done grows.
 */
export async function benchLatency(
  infra: Infra,
  steps: readonly number[],
  seconds: number,
  timeoutMs: number,
): Promise<LatencyResult> {
  const endpoint = await startTokenEndpoint([
    `--latency-ms=${LATENCY_MS}`,
    `--jitter-ms=${JITTER_MS}`,
  ]);
  const { rt, env, close } = await openBenchRuntime(infra, 'latency', {}, { endpoint });
  const worker = forkWorker();
  const results: LatencyStep[] = [];
  try {
    for (const concurrency of steps) {
      results.push(await step(rt, worker, env, concurrency, seconds, timeoutMs));
    }
    // Live memory takes full collections, which would skew a timed step's CPU (and shrink the
    // young generation it had grown): a pass of its own at the largest concurrency.
    const largest = Math.max(...steps);
    const held = await step(rt, worker, env, largest, 2, timeoutMs, true);
    return {
      steps: results,
      live: { concurrency: largest, kbPerInFlight: held.liveKbPerInFlight },
    };
  } finally {
    await worker.stop();
    await close();
    await endpoint.stop();
  }
}

/** The timed steps, and the memory one refresh in flight holds. */
export interface LatencyResult {
  readonly steps: readonly LatencyStep[];
  readonly live: { readonly concurrency: number; readonly kbPerInFlight: number };
}

type Runtime = Awaited<ReturnType<typeof openBenchRuntime>>['rt'];

async function step(
  rt: Runtime,
  worker: LatencyWorker,
  env: Readonly<Record<string, string>>,
  concurrency: number,
  seconds: number,
  timeoutMs: number,
  /** Take live memory with the concurrency in flight (full collections: not a timed step). */
  live = false,
): Promise<LatencyStep> {
  const offeredPerSec = (OFFERED_LOAD * concurrency) / ((LATENCY_MS + 50) / 1000);
  const n = Math.round(offeredPerSec * seconds);
  // Due times start a moment after seeding and the sweep, spread evenly over `seconds`.
  const start = Date.now() + 3_000 + n / 4;
  const dueOf = (i: number) => start + (i / n) * seconds * 1000;
  const ids = await seedConnections(
    rt,
    n,
    (i) => new Date(dueOf(i)),
    new Date(start + 60_000),
    `latency${concurrency}${live ? '-live' : ''}`,
  );
  const dueAt = new Map(ids.map((id, i) => [id as string, dueOf(i)]));
  return measure(rt, worker, env, dueAt, concurrency, offeredPerSec, timeoutMs, live);
}

async function measure(
  rt: Runtime,
  worker: LatencyWorker,
  env: Readonly<Record<string, string>>,
  dueAt: ReadonlyMap<string, number>,
  concurrency: number,
  offeredPerSec: number,
  timeoutMs: number,
  measuresLive: boolean,
): Promise<LatencyStep> {
  const n = dueAt.size;
  const sampler = startSampling(rt);
  try {
    const step: WorkerStep = {
      env,
      concurrency,
      dueAt: [...dueAt],
      timeoutMs,
      live: measuresLive,
    };
    worker.child.send(step);
    await worker.next();
    const due = [...dueAt.values()];
    const first = due.reduce((a, b) => Math.min(a, b));
    const last = due.reduce((a, b) => Math.max(a, b));
    // Everything due in the step at once, as delayed jobs: BullMQ releases each at its time.
    // Swept as of 20 ms ago, so no job can start before its row is due (it would be skipped).
    const now = new Date(Date.now() - 20);
    await sweepDueRefreshes(rt, { now, lookAheadMs: last - now.getTime() + 1_000, limit: n });
    const figures = (await worker.next()) as WorkerFigures;
    const finished = Date.now();
    const samples = await sampler.stop();
    const sorted = figures.dueToDoneMs;
    return {
      concurrency,
      n,
      offeredPerSec,
      perSec: n / ((finished - first) / 1000),
      cpuMsPerRefresh: figures.cpuUs / 1000 / n,
      peakInFlight: figures.peakInFlight,
      rssKbPerInFlight:
        (figures.rssPeak - figures.rssReady) / 1024 / Math.max(1, figures.peakInFlight),
      rssReadyMb: figures.rssReady / 1024 / 1024,
      rssPeakMb: figures.rssPeak / 1024 / 1024,
      liveKbPerInFlight: figures.liveHeld / 1024 / Math.max(1, figures.liveInFlight),
      p50DueToDoneMs: percentile(sorted, 0.5),
      p99DueToDoneMs: percentile(sorted, 0.99),
      pgActivePeak: samples.pgActivePeak,
      pgOpenPeak: samples.pgOpenPeak,
      refreshed: figures.refreshed,
    };
  } finally {
    await sampler.stop();
  }
}

/** The section's worker process (latency-worker.ts), with the same Node flags as this one. */
function forkWorker() {
  const file = fileURLToPath(new URL('latency-worker.ts', import.meta.url));
  const child = fork(file, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.execArgv,
  });
  const exited = once(child, 'exit').then(() => {
    throw new Error('the latency worker exited before it answered');
  });
  exited.catch(() => undefined);
  return {
    child,
    /** Its next message, or a rejection if it exits first. */
    next: async () => ((await Promise.race([once(child, 'message'), exited])) as [unknown])[0],
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.send('stop');
      await gone;
    },
  };
}

type LatencyWorker = ReturnType<typeof forkWorker>;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Samples this process's RSS and the database's Postgres connections every 50 ms. */
function startSampling(rt: Runtime) {
  const url = rt.config.databaseUrl;
  if (url === undefined) throw new Error('bench needs a Postgres URL');
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  let rssPeak = 0;
  let pgActivePeak = 0;
  let pgOpenPeak = 0;
  let busy = false;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    if (busy) return;
    busy = true;
    void connected
      .then(() =>
        client.query<{ active: string; open: string }>(
          `select count(*) filter (where state = 'active')::text as active, count(*)::text as open
           from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
        ),
      )
      .then(({ rows }) => {
        pgActivePeak = Math.max(pgActivePeak, Number(rows[0]?.active ?? 0));
        pgOpenPeak = Math.max(pgOpenPeak, Number(rows[0]?.open ?? 0));
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, 50);
  let stopped: Promise<{ rssPeak: number; pgActivePeak: number; pgOpenPeak: number }> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await connected.catch(() => undefined);
        await client.end().catch(() => undefined);
        return { rssPeak, pgActivePeak, pgOpenPeak };
      })();
      return stopped;
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { ConnectionId } from '@tokenlane/core';
import {
  refreshBatchConcurrency,
  refreshBatchJob,
  sealTokenSet,
  sweepDueRefreshes,
} from '@tokenlane/lifecycle';
import { startWorkers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { Secret } from '@tokenlane/vault';
import { Queue, Worker } from 'bullmq';
import { sql } from 'kysely';
import { bareGrants, bareUpdates } from './bare.js';
import { profiled } from './cpu-profile.js';
import { startSumOfParts } from './sum-of-parts.js';
import { openBenchRuntime, PROVIDER, type Infra } from './infra.js';

export const CONCURRENCY = 50;
/** The throughput-against-concurrency curve (chart). */
export const CURVE_CONCURRENCY = [1, 5, 10, 25, 50, 100] as const;

/** One run of a worker over `n` jobs at `concurrency`. */
export interface Throughput {
  readonly n: number;
  readonly concurrency: number;
  readonly perSec: number;
  /** CPU of this (the worker's) process per job: less sensitive to other load than perSec. */
  readonly cpuMsPerJob: number;
}

export interface RefreshRun extends Throughput {
  readonly refreshed: number;
  readonly grants: number;
  /** Postgres transactions per refresh (reads and writes are batched across jobs). */
  readonly statementsPerRefresh: number;
}

/**
 * Section 1's main runs go in this many rounds of the no-op, the refresh and the parts, one
 * after the other: this VM's speed drifts by a third over a minute, and each ratio is then
 * taken over runs that saw the same machine. The figures are all rounds together.
 */
export const ROUNDS = 4;

export interface RefreshResult {
  readonly noop: Throughput;
  /** The bare parts of a refresh as one BullMQ job (sum-of-parts.ts): the fair bound. */
  readonly parts: Throughput;
  readonly refresh: RefreshRun;
  readonly ratio: number;
  /** refresh CPU per job against the no-op's. */
  readonly cpuRatio: number;
  /** The lowest and highest of the rounds' own throughput ratios, against each bound. */
  readonly roundRatios: {
    readonly noop: { readonly min: number; readonly max: number };
    readonly parts: { readonly min: number; readonly max: number };
  };
  readonly updatePerSec: number;
  readonly grantPerSec: number;
  readonly curve: readonly { readonly noop: Throughput; readonly refresh: RefreshRun }[];
}

/** Inserts `n` active connections with sealed tokens, due at `dueAt` (or the i-th's); returns their ids. */
export async function seedConnections(
  rt: Runtime,
  n: number,
  dueAt: Date | ((i: number) => Date),
  expiresAt: Date,
  userPrefix = 'user',
): Promise<ConnectionId[]> {
  const ids: ConnectionId[] = [];
  for (let start = 0; start < n; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 1000); i += 1) {
      const id = randomUUID() as ConnectionId;
      ids.push(id);
      const sealed = sealTokenSet(rt.keyRing, id, {
        accessToken: new Secret(`at-${id}`),
        refreshToken: new Secret(`rt-${id}`),
        tokenType: 'Bearer',
        expiresAt,
        metadata: {},
      });
      rows.push({
        id,
        user_id: `${userPrefix}-${i}`,
        provider: PROVIDER,
        status: 'active' as const,
        access_token_enc: sealed.accessTokenEnc,
        refresh_token_enc: sealed.refreshTokenEnc,
        token_type: 'Bearer',
        expires_at: expiresAt,
        refresh_due_at: typeof dueAt === 'function' ? dueAt(i) : dueAt,
        token_version: 1,
      });
    }
    await rt.db.insertInto('connections').values(rows).execute();
  }
  return ids;
}

/** Resolves once `count` jobs completed (or failed) on `worker`, or rejects after `timeoutMs`. */
export function completions(worker: Worker, count: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = 0;
    const timer = setTimeout(() => {
      reject(new Error(`only ${done}/${count} jobs completed in ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      done += 1;
      if (done === count) {
        clearTimeout(timer);
        resolve();
      }
    };
    worker.on('completed', finish);
    worker.on('failed', finish);
  });
}

/** Counts the rows batch jobs ended: `done` settles once `count` did, or fails after `timeoutMs`. */
export function rowCompletions(count: number, timeoutMs: number) {
  let rows = 0;
  let finish: (() => void) | undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    setTimeout(() => {
      reject(new Error(`only ${rows}/${count} refreshes ended in ${timeoutMs} ms`));
    }, timeoutMs).unref();
  });
  return {
    done,
    ended(n: number) {
      rows += n;
      if (rows >= count) finish?.();
    },
  };
}

/** Times `run` (which resolves when all `n` jobs are done): jobs/s and this process's CPU/job. */
export async function timed(n: number, concurrency: number, run: () => Promise<void>) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    n,
    concurrency,
    perSec: n / seconds,
    cpuMsPerJob: (used.user + used.system) / 1000 / n,
  } satisfies Throughput;
}

/** Bare BullMQ on the same Redis: a worker whose handler does nothing. */
async function measureNoop(
  rt: Runtime,
  n: number,
  concurrency: number,
  timeoutMs: number,
): Promise<Throughput> {
  const { workerConnection: connection } = rt;
  const prefix = rt.config.queuePrefix;
  const name = `noop-${concurrency}`;
  const queue = new Queue(name, { connection, prefix });
  const worker = new Worker(name, async () => undefined, { connection, prefix, concurrency });
  try {
    await worker.waitUntilReady();
    const done = completions(worker, n, timeoutMs);
    return await timed(n, concurrency, async () => {
      for (let i = 0; i < n; i += 1000) {
        const batch = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
          name,
          data: { i: i + k },
          opts: { removeOnComplete: true },
        }));
        await queue.addBulk(batch);
      }
      await done;
    });
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** The sum-of-parts worker over `n` jobs, one per connection row of `ids`. */
async function measureParts(
  rt: Runtime,
  infra: Infra,
  ids: readonly string[],
  n: number,
  concurrency: number,
  timeoutMs: number,
  cpuProfile?: string,
): Promise<Throughput> {
  const name = `parts-${concurrency}`;
  const parts = await startSumOfParts(
    {
      connection: rt.workerConnection,
      prefix: rt.config.queuePrefix,
      databaseUrl: dbUrl(rt),
      tokenUrl: `${infra.endpoint.url}/token`,
      ids,
    },
    name,
    concurrency,
  );
  try {
    const done = completions(parts.worker, n, timeoutMs);
    return await profiled(cpuProfile, () =>
      timed(n, concurrency, async () => {
        for (let i = 0; i < n; i += 1000) {
          const batch = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
            name,
            data: { id: ids[(i + k) % ids.length] },
            opts: { removeOnComplete: true },
          }));
          await parts.queue.addBulk(batch);
        }
        await done;
      }),
    );
  } finally {
    await parts.close();
  }
}

/** Committed transactions of the database so far (statistics flush within a second). */
async function transactions(rt: Runtime): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const { rows } = await sql<{ commits: string }>`
    select xact_commit::text as commits from pg_stat_database
    where datname = current_database()`.execute(rt.db);
  return Number(rows[0]?.commits ?? Number.NaN);
}

let runs = 0;

/** tokenlane end to end: sweep → queue → provider call → encrypt → compare-and-set → event. */
async function measureRefresh(
  rt: Runtime,
  infra: Infra,
  n: number,
  concurrency: number,
  timeoutMs: number,
  /** Where to write a CPU profile of the timed window (seeding left out); none when undefined. */
  cpuProfile?: string,
): Promise<RefreshRun> {
  const now = new Date();
  runs += 1;
  await seedConnections(rt, n, now, new Date(now.getTime() + 60_000), `run${runs}`);
  const grantsBefore = await infra.endpoint.grants();
  const commitsBefore = await transactions(rt);
  let refreshed = 0;
  const rows = rowCompletions(n, timeoutMs);
  // The worker's own job, counting the rows each batch ended.
  const counted: typeof refreshBatchJob = {
    ...refreshBatchJob,
    run: async (deps, payload, control) => {
      const result = await refreshBatchJob.run(deps, payload, control);
      refreshed += result.refreshed;
      rows.ended(result.started);
      return result;
    },
  };
  // `concurrency` refreshes in flight, as TOKENLANE_REFRESH_CONCURRENCY sets it in a worker.
  const deps = { ...rt, config: { ...rt.config, refreshConcurrency: concurrency } };
  const [worker] = startWorkers([counted], deps, {
    connection: rt.workerConnection,
    prefix: rt.config.queuePrefix,
    concurrency: { [refreshBatchJob.name]: refreshBatchConcurrency(concurrency) },
  });
  if (worker === undefined) throw new Error('no refresh-batch worker');
  try {
    await worker.waitUntilReady();
    const run = await profiled(cpuProfile, () =>
      timed(n, concurrency, async () => {
        let enqueued = 0;
        while (enqueued < n) {
          const swept = await sweepDueRefreshes(rt, { lookAheadMs: 0, limit: 20_000 });
          if (swept.enqueued === 0) break;
          enqueued += swept.enqueued;
        }
        await rows.done;
      }),
    );
    const statements = (await transactions(rt)) - commitsBefore;
    return {
      ...run,
      refreshed,
      grants: (await infra.endpoint.grants()) - grantsBefore,
      // The sweep's own read and the statistics query are in the count too: about 3.
      statementsPerRefresh: statements / n,
    };
  } finally {
    await worker.close();
  }
}

/**
 * Section 1: end-to-end refreshes/s against a bare BullMQ no-op worker at the same
 * concurrency on the same Redis, and the bare parts (UPDATE by id, token grants); then both
 * workers again over a range of concurrency for the chart.
 */
export async function benchRefresh(
  infra: Infra,
  n: number,
  curveN: number,
  timeoutMs: number,
  /** Where to write CPU profiles of the last round's refresh and parts runs (none when undefined). */
  cpuProfile?: string,
): Promise<RefreshResult> {
  const { rt, close } = await openBenchRuntime(infra, 'refresh');
  try {
    // The bound's own profile beside the refresh's: where the two differ is what a refresh adds.
    const partsProfile = cpuProfile?.replace(/(\.cpuprofile)?$/, '.parts.cpuprofile');
    const per = Math.ceil(n / ROUNDS);
    const rounds: Round[] = [];
    let ids: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Only the last round is profiled: the warmest, and the profiler's cost stays out of
      // the others.
      const profile = round === ROUNDS - 1;
      const noop = await measureNoop(rt, per, CONCURRENCY, timeoutMs);
      const refresh = await measureRefresh(
        rt,
        infra,
        per,
        CONCURRENCY,
        timeoutMs,
        profile ? cpuProfile : undefined,
      );
      if (ids.length === 0) {
        ids = (await rt.db.selectFrom('connections').select('id').execute()).map((row) => row.id);
      }
      const parts = await measureParts(
        rt,
        infra,
        ids,
        per,
        CONCURRENCY,
        timeoutMs,
        profile ? partsProfile : undefined,
      );
      rounds.push({ noop, refresh, parts });
    }
    const noop = combined(rounds.map((round) => round.noop));
    const parts = combined(rounds.map((round) => round.parts));
    const refresh = {
      ...combined(rounds.map((round) => round.refresh)),
      refreshed: sum(rounds.map((round) => round.refresh.refreshed)),
      grants: sum(rounds.map((round) => round.refresh.grants)),
      statementsPerRefresh:
        sum(rounds.map((round) => round.refresh.statementsPerRefresh * round.refresh.n)) /
        sum(rounds.map((round) => round.refresh.n)),
    };
    const updatePerSec = await bareUpdates(dbUrl(rt), ids, CONCURRENCY);
    const grantPerSec = await bareGrants(infra.endpoint.url, n, CONCURRENCY);
    const curve = [];
    for (const concurrency of CURVE_CONCURRENCY) {
      curve.push({
        noop: await measureNoop(rt, curveN, concurrency, timeoutMs),
        refresh: await measureRefresh(rt, infra, curveN, concurrency, timeoutMs),
      });
    }
    return {
      noop,
      parts,
      refresh,
      ratio: refresh.perSec / noop.perSec,
      cpuRatio: noop.cpuMsPerJob / refresh.cpuMsPerJob,
      roundRatios: {
        noop: spread(rounds.map((round) => round.refresh.perSec / round.noop.perSec)),
        parts: spread(rounds.map((round) => round.refresh.perSec / round.parts.perSec)),
      },
      updatePerSec,
      grantPerSec,
      curve,
    };
  } finally {
    await close();
  }
}

/** One round of section 1's main runs: the no-op, the refresh and the parts, back to back. */
interface Round {
  readonly noop: Throughput;
  readonly refresh: RefreshRun;
  readonly parts: Throughput;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** Runs of one worker as one: all their jobs over all their time, CPU per job over all jobs. */
function combined(runs: readonly Throughput[]): Throughput {
  const n = sum(runs.map((run) => run.n));
  return {
    n,
    concurrency: runs[0]?.concurrency ?? 0,
    perSec: n / sum(runs.map((run) => run.n / run.perSec)),
    cpuMsPerJob: sum(runs.map((run) => run.cpuMsPerJob * run.n)) / n,
  };
}

function spread(values: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

function dbUrl(rt: Runtime): string {
  const url = rt.config.databaseUrl;
  if (url === undefined) throw new Error('bench needs a Postgres URL');
  return url;
}

import { startWorkers, type AnyJob, type WorkerOptions } from '@tokenlane/queue';
import {
  JOBS,
  refreshBatchConcurrency,
  resumeMigrations,
  type JobName,
  type LifecycleContext,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { withDeadline } from './deadline.js';
import { startScheduleWatch } from './schedule-watch.js';
import { isScheduled, recordRun, scheduleRecurringJobs } from './schedules.js';
import { StallWatch } from './stall-watch.js';

export interface WorkerPoolOptions {
  readonly stallCheckMs?: number;
  readonly scheduleWatchMs?: number;
  /**
   * Parallel jobs per queue and process, over the jobs' own (a deployment's setting: the
   * place for the configured refresh concurrency).
   */
  readonly concurrency?: Partial<Record<JobName, number>>;
}

/** The running BullMQ workers of one process, and their orderly stop. */
export interface WorkerPool {
  readonly workers: readonly Worker[];
  /** Finishes active jobs (or hands them back when `timeoutMs` runs out) and disconnects. */
  close(timeoutMs?: number): Promise<void>;
}

/** How often each queue's waiting jobs are counted, to spot a worker that takes none. */
const STALL_CHECK_MS = 5_000;
/** A job count that takes longer than this counts as unknown (a wedged connection). */
const STALL_CHECK_DEADLINE_MS = 5_000;
/** Checks in a row with jobs waiting and none taken that make a worker count as wedged. */
const STALLED_CHECKS = 3;

/**
 * Starts a worker per job of lifecycle's `JOBS` and the recurring jobs (one schedule shared by
 * all replicas, checked by every process's schedule watch: `schedule-watch.ts`), and watches
 * the workers: one that takes no job while its queue's jobs wait for about 20-30 s is
 * replaced by a fresh worker with new connections (`StallWatch`). The old one is closed
 * without force, so the jobs it still runs finish.
 */
export async function startWorkerPool(
  rt: Runtime,
  options: WorkerPoolOptions = {},
): Promise<WorkerPool> {
  // The refresh width is a deployment's setting (TOKENLANE_REFRESH_CONCURRENCY), in rows.
  const concurrency = concurrencyOf({
    refresh: rt.config.refreshConcurrency,
    'refresh-batch': refreshBatchConcurrency(rt.config.refreshConcurrency),
    ...options.concurrency,
  });
  const watch = new StallWatch(STALLED_CHECKS);
  // Jobs running per queue in this process, across a worker and the one it replaced.
  const running = new Map<string, number>();
  const activity = {
    started: (name: string) => {
      running.set(name, (running.get(name) ?? 0) + 1);
      watch.pickup(name, Date.now());
    },
    ended: (name: string) => {
      running.set(name, (running.get(name) ?? 1) - 1);
    },
  };
  const start = (job: AnyJob<LifecycleContext>, fresh = false) =>
    logFailures(rt, startQueueWorker(rt, recorded(rt, job), { concurrency, activity }, fresh));
  const workers = JOBS.map((job) => start(job));
  const retiring = new Set<Promise<unknown>>();
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await scheduleRecurringJobs(rt);
  // Redis may lose a schedule's next run (a failover): each process checks them on its own timer.
  const scheduleWatch = startScheduleWatch(rt, { everyMs: options.scheduleWatchMs });
  // A migration whose items were written but whose jobs were lost (a crash in between, a
  // Redis that lost data) resumes here; jobs still queued are not added twice.
  const resumed = await resumeMigrations(rt);
  if (resumed > 0) rt.logger.info({ jobs: resumed }, 'resumed running migrations');

  let checking = false;
  const closing = new AbortController();
  // A function, not the flag: the pool may close while a check awaits its counts.
  const stopped = () => closing.signal.aborted;
  const checkStalls = async () => {
    if (checking || stopped()) return;
    checking = true;
    try {
      for (const [index, job] of JOBS.entries()) {
        const { name } = job;
        const counts = await withDeadline(
          rt.queues.queue(name).getJobCounts('wait', 'prioritized'),
          STALL_CHECK_DEADLINE_MS,
          'job count',
        ).catch(() => undefined);
        if (counts === undefined) continue;
        const waiting = (counts.wait ?? 0) + (counts.prioritized ?? 0);
        const full = (running.get(name) ?? 0) >= concurrency[name];
        // A pool closed while this check ran starts no new worker.
        if (!watch.observe(name, waiting, Date.now(), full) || stopped()) continue;
        rt.logger.warn(
          { queue: name, waiting },
          'worker took no job while jobs waited: replaced by a new one (its Redis connection may be wedged)',
        );
        rt.metrics.workerRestarts.inc({ queue: name });
        const old = workers[index];
        // On a fresh connection: the shared one may be the wedged part.
        workers[index] = start(job, true);
        const retired = (old?.close() ?? Promise.resolve()).catch(() => undefined);
        retiring.add(retired);
        void retired.finally(() => retiring.delete(retired));
      }
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void checkStalls(), options.stallCheckMs ?? STALL_CHECK_MS);
  timer.unref();

  return {
    workers,
    close: async (timeoutMs = 20_000) => {
      closing.abort();
      clearInterval(timer);
      scheduleWatch.stop();
      // Replaced workers finish the jobs they still run, within the same time.
      const graceful = Promise.all([...workers.map((worker) => worker.close()), ...retiring]);
      const deadline = new Promise<'timeout'>((resolve) =>
        setTimeout(resolve, timeoutMs, 'timeout').unref(),
      );
      if ((await Promise.race([graceful, deadline])) === 'timeout') {
        // Forced: active jobs' locks lapse and BullMQ hands them to another worker. BullMQ
        // answers a second close with the first one's promise, and after a Redis Cluster
        // failover a worker's blocking connection can keep that from ever settling: bounded.
        const forced = Promise.all(workers.map((worker) => worker.close(true)));
        await Promise.race([forced, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      }
    },
  };
}

/**
 * One queue's BullMQ worker. `fresh`: on a Redis Cluster, a new cluster client of its own
 * (closed with the worker) instead of the process's shared one. A replaced worker gets one:
 * after a failover, a cluster client can stay wedged with no node to talk to (BullMQ
 * issue 4138), and a worker built on the same client would inherit that.
 */
function startQueueWorker(
  rt: Runtime,
  job: AnyJob<LifecycleContext>,
  options: Pick<WorkerOptions, 'concurrency' | 'activity'>,
  fresh: boolean,
): Worker {
  const shared = rt.workerConnection;
  const connection = fresh && shared instanceof Cluster ? shared.duplicate() : shared;
  const [worker] = startWorkers([job], rt, {
    ...options,
    connection,
    prefix: rt.config.queuePrefix,
  });
  if (worker === undefined) throw new Error(`no worker started for ${job.name}`);
  if (connection !== shared && connection instanceof Cluster) {
    worker.on('closed', () => {
      connection.disconnect();
    });
  }
  return worker;
}

/** Each job's concurrency in this process: its definition's, unless overridden. */
function concurrencyOf(
  overrides: Partial<Record<JobName, number>> = {},
): Readonly<Record<JobName, number>> {
  return Object.fromEntries(
    JOBS.map((job) => [job.name, overrides[job.name] ?? job.concurrency]),
  ) as Record<JobName, number>;
}

/** A recurring job notes each completed run, for the schedule watch of every replica. */
function recorded(rt: Runtime, job: AnyJob<LifecycleContext>): AnyJob<LifecycleContext> {
  if (!isScheduled(job)) return job;
  return {
    ...job,
    run: async (deps, payload, control) => {
      const result = await job.run(deps, payload, control);
      await recordRun(rt, job.name);
      return result;
    },
  };
}

/** Logs a worker's failed jobs and its errors. */
function logFailures(rt: Runtime, worker: Worker): Worker {
  worker.on('failed', (job, error) => {
    rt.logger.warn(
      {
        queue: worker.name,
        jobId: job?.id,
        attempt: job?.attemptsMade,
        err: { message: error.message, name: error.name },
      },
      'job failed',
    );
  });
  worker.on('error', (error) => {
    rt.logger.error({ queue: worker.name, err: { message: error.message } }, 'worker error');
  });
  return worker;
}

import { JOB_CATALOG, JOB_NAMES, startWorkers, type JobName } from '@tokenlane/queue';
import { resumeMigrations } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { Worker } from 'bullmq';
import { createHandlers } from './handlers.js';

/** The running BullMQ workers of one process, and their orderly stop. */
export interface WorkerPool {
  readonly workers: readonly Worker[];
  /** Finishes active jobs (or hands them back when `timeoutMs` runs out) and disconnects. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Parallel jobs per queue and process. Exchanges run wide: authorization codes are
 * short-lived (Withings: 30 s), so a burst of callbacks must not queue behind each other.
 * Refreshes are I/O bound (one provider call, one small transaction).
 */
const CONCURRENCY: Record<JobName, number> = {
  exchange: 50,
  refresh: 50,
  reauth: 10,
  revoke: 10,
  notify: 20,
  // Each one a provider call at most: wide enough for a provider's rate limit to be the brake.
  migrate: 20,
  outbox: 1,
  sweep: 1,
  retention: 1,
};

/** Starts a worker per queue and the recurring jobs (one schedule shared by all replicas). */
export async function startWorkerPool(rt: Runtime): Promise<WorkerPool> {
  const workers = startWorkers(createHandlers(rt), {
    connection: rt.workerConnection,
    prefix: rt.config.queuePrefix,
    queues: JOB_NAMES,
    concurrency: CONCURRENCY,
  });
  for (const worker of workers) {
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
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await scheduleRecurringJobs(rt);
  // A migration whose items were written but whose jobs were lost (a crash in between, a
  // Redis that lost data) resumes here; jobs still queued are not added twice.
  const resumed = await resumeMigrations(rt);
  if (resumed > 0) rt.logger.info({ jobs: resumed }, 'resumed running migrations');
  return {
    workers,
    close: async (timeoutMs = 20_000) => {
      const graceful = Promise.all(workers.map((worker) => worker.close()));
      const timer = new Promise<'timeout'>((resolve) =>
        setTimeout(resolve, timeoutMs, 'timeout').unref(),
      );
      if ((await Promise.race([graceful, timer])) === 'timeout') {
        // Forced: active jobs' locks lapse and BullMQ hands them to another worker. BullMQ
        // answers a second close with the first one's promise, and after a Redis Cluster
        // failover a worker's blocking connection can keep that from ever settling: bounded.
        const forced = Promise.all(workers.map((worker) => worker.close(true)));
        await Promise.race([forced, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      }
    },
  };
}

/** How often undelivered events are relayed to the `notify` queue. */
const OUTBOX_INTERVAL_MS = 1_000;

/** How often the retention job deletes what nobody needs any more. */
const RETENTION_INTERVAL_MS = 10 * 60_000;

/**
 * The recurring jobs: the refresh sweep, retention, and the outbox relay when a webhook is
 * configured. Upserting is idempotent: every replica may do it and the schedule stays one.
 */
async function scheduleRecurringJobs(rt: Runtime): Promise<void> {
  await rt.queues
    .queue('sweep')
    .upsertJobScheduler('sweep', { every: rt.config.sweepIntervalMs }, template('sweep'));
  await rt.queues
    .queue('retention')
    .upsertJobScheduler('retention', { every: RETENTION_INTERVAL_MS }, template('retention'));
  const outbox = rt.queues.queue('outbox');
  if (rt.config.webhook === undefined) {
    await outbox.removeJobScheduler('outbox');
  } else {
    await outbox.upsertJobScheduler('outbox', { every: OUTBOX_INTERVAL_MS }, template('outbox'));
  }
}

/** A scheduled job's template, with the catalog's retention (else BullMQ keeps every run). */
function template(name: 'sweep' | 'outbox' | 'retention') {
  const { retention } = JOB_CATALOG[name];
  return {
    name,
    data: {},
    opts: { removeOnComplete: retention.completed, removeOnFail: retention.failed },
  };
}

import { startWorkers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import type { Worker } from 'bullmq';
import { createHandlers, type ServedQueue } from './handlers.js';

const QUEUES: readonly ServedQueue[] = ['exchange'];

/** The running BullMQ workers of one process, and their orderly stop. */
export interface WorkerPool {
  readonly workers: readonly Worker[];
  /** Finishes active jobs (or hands them back when `timeoutMs` runs out) and disconnects. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Starts every worker. Exchange concurrency is high: authorization codes are short-lived
 * (Withings: 30 s), so a burst of callbacks must not queue behind each other.
 */
export async function startWorkerPool(rt: Runtime): Promise<WorkerPool> {
  const workers = startWorkers(createHandlers(rt), {
    connection: rt.workerConnection,
    prefix: rt.config.queuePrefix,
    queues: QUEUES,
    concurrency: { exchange: 50 },
  });
  for (const worker of workers) {
    worker.on('failed', (job, error) => {
      rt.logger.warn(
        { queue: worker.name, jobId: job?.id, err: { message: error.message, name: error.name } },
        'job failed',
      );
    });
    worker.on('error', (error) => {
      rt.logger.error({ queue: worker.name, err: { message: error.message } }, 'worker error');
    });
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  return {
    workers,
    close: async (timeoutMs = 20_000) => {
      const graceful = Promise.all(workers.map((worker) => worker.close()));
      const timer = new Promise<'timeout'>((resolve) =>
        setTimeout(resolve, timeoutMs, 'timeout').unref(),
      );
      if ((await Promise.race([graceful, timer])) === 'timeout') {
        // Forced: active jobs' locks lapse and BullMQ hands them to another worker.
        await Promise.all(workers.map((worker) => worker.close(true)));
      }
    },
  };
}

import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { fullJitterBackoff } from './backoff.js';
import { BACKOFF_TYPE } from './job-options.js';
import { controlOf } from './control.js';
import type { AnyJob } from './define.js';
import { telemetryOption } from './telemetry.js';

export interface WorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  /**
   * Parallel jobs per queue, overriding the definitions' own (a deployment's setting, a
   * test that needs one job at a time).
   */
  concurrency?: Readonly<Record<string, number>>;
  /** Told when a job of a queue starts and ends, whatever its outcome (a supervisor's view). */
  activity?: { started(queue: string): void; ended(queue: string): void };
}

/**
 * Starts one BullMQ worker per job definition, each running `run(deps, payload, control)`.
 * The payload is parsed here, once (a bad payload fails at once, unretried), and retries use
 * full-jitter backoff honoring Retry-After.
 */
export function startWorkers<Deps>(
  jobs: readonly AnyJob<Deps>[],
  deps: Deps,
  options: WorkerOptions,
): Worker[] {
  return jobs.map((job) => startWorker(job, deps, options));
}

function startWorker<Deps>(job: AnyJob<Deps>, deps: Deps, options: WorkerOptions): Worker {
  const { name } = job;
  return new Worker(
    name,
    async (bullJob: Job, token?: string) => {
      options.activity?.started(name);
      try {
        const parsed = job.payload.safeParse(bullJob.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid ${name} payload`);
        return await job.run(deps, parsed.data, controlOf(bullJob, token));
      } finally {
        options.activity?.ended(name);
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency?.[name] ?? job.concurrency,
      // A job whose worker died (kill -9, a lost host) is back in the queue within about
      // 1.5 lock durations, instead of BullMQ's 30 s lock plus 30 s check. Two stalls are
      // allowed before a job fails, so one long event-loop pause does not end a job.
      lockDuration: job.lockMs,
      stalledInterval: Math.round(job.lockMs / 2),
      maxStalledCount: 2,
      ...telemetryOption(),
      settings: {
        backoffStrategy: (attemptsMade, type, error) =>
          type === BACKOFF_TYPE ? fullJitterBackoff(attemptsMade, job.backoff, error) : 1_000,
      },
    },
  );
}

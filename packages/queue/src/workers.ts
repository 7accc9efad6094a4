import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { ZodError } from 'zod';
import { fullJitterBackoff } from './backoff.js';
import { BACKOFF_TYPE, JOB_CATALOG, parsePayload } from './catalog.js';
import type { JobName, JobPayload } from './catalog.js';
import { telemetryOption } from './telemetry.js';

/** One handler per queue of the catalog: a missing handler is a compile error. */
export type JobHandlers = {
  [N in JobName]: (payload: JobPayload<N>, job: Job, token?: string) => Promise<unknown>;
};

export interface WorkerOptions<N extends JobName = JobName> {
  connection: ConnectionOptions;
  prefix: string;
  /** Parallel jobs per queue; defaults to 1 where unset. */
  concurrency?: Partial<Record<JobName, number>>;
  /** The queues to serve; each needs its handler. */
  queues: readonly N[];
  /** Told when a job of a queue starts and ends, whatever its outcome (a supervisor's view). */
  activity?: { started(queue: N): void; ended(queue: N): void };
}

/**
 * Starts one BullMQ worker per queue. Payloads are validated before the handler runs (a bad
 * payload fails at once, unretried), and retries use full-jitter backoff honoring Retry-After.
 */
export function startWorkers<N extends JobName>(
  handlers: Pick<JobHandlers, N>,
  options: WorkerOptions<N>,
): Worker[] {
  return options.queues.map((name) => {
    const handler = handlers[name] as (
      payload: unknown,
      job: Job,
      token?: string,
    ) => Promise<unknown>;
    return new Worker(
      name,
      async (job: Job, token?: string) => {
        options.activity?.started(name);
        try {
          let payload: unknown;
          try {
            payload = parsePayload(name, job.data);
          } catch (error) {
            if (error instanceof ZodError) throw new UnrecoverableError(`invalid ${name} payload`);
            throw error;
          }
          return await handler(payload, job, token);
        } finally {
          options.activity?.ended(name);
        }
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency?.[name] ?? 1,
        // A job whose worker died (kill -9, a lost host) is back in the queue within about
        // 1.5 lock durations, instead of BullMQ's 30 s lock plus 30 s check. Two stalls are
        // allowed before a job fails, so one long event-loop pause does not end a job.
        lockDuration: JOB_CATALOG[name].lockMs,
        stalledInterval: Math.round(JOB_CATALOG[name].lockMs / 2),
        maxStalledCount: 2,
        ...telemetryOption(),
        settings: {
          backoffStrategy: (attemptsMade, type, error, job) =>
            type === BACKOFF_TYPE && job !== undefined && job.name in JOB_CATALOG
              ? fullJitterBackoff(attemptsMade, JOB_CATALOG[job.name as JobName].backoff, error)
              : 1_000,
        },
      },
    );
  });
}

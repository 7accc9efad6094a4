import type { JobsOptions } from 'bullmq';
import type { JobTarget } from './define.js';

/** BullMQ's custom backoff type name; workers register the strategy under it. */
export const BACKOFF_TYPE = 'tokenlane-jitter';

export interface EnqueueOptions {
  /** Run no earlier than this many ms from now. */
  delay?: number;
}

/** BullMQ job options derived from a job's definition: attempts, backoff, retention, id. */
export function jobOptions<P>(
  job: JobTarget<P>,
  payload: P,
  options: EnqueueOptions = {},
): JobsOptions {
  return {
    jobId: job.jobId(payload),
    attempts: job.attempts,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: job.retention.completed,
    removeOnFail: job.retention.failed,
    ...(options.delay === undefined ? {} : { delay: Math.max(0, Math.round(options.delay)) }),
  };
}

import { DelayedError, UnrecoverableError, type Job } from 'bullmq';

/**
 * What a running job may ask of the queue, whatever the queue is: BullMQ's control flow
 * (`moveToDelayed` + `DelayedError`, `UnrecoverableError`, `attemptsMade`) lives only here.
 */
export interface JobControl {
  /** This is the job's final attempt: a failure now is not retried. */
  readonly lastAttempt: boolean;
  /** Ends this run and parks the job until `atMs` (epoch ms), spending no attempt. */
  deferUntil(atMs: number): Promise<never>;
  /** Ends the job for good, failed, with no further attempt. */
  giveUp(reason: string): never;
}

/** The control of one BullMQ job run (`token` is the worker's lock on it). */
export function controlOf(job: Job, token: string | undefined): JobControl {
  return {
    lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    async deferUntil(atMs) {
      await job.moveToDelayed(atMs, token);
      throw new DelayedError();
    },
    giveUp(reason) {
      throw new UnrecoverableError(reason);
    },
  };
}

import { controlOf, type JobDefinition } from '@tokenlane/queue';
import type { Job } from 'bullmq';

/**
 * Runs a job as a worker would on its attempt `attemptsMade` (0-based), without Redis: the
 * data parsed by the job's schema, and the control the worker builds from BullMQ's counters.
 */
export function runJobAt<Deps, Payload, Result>(
  job: JobDefinition<Deps, Payload, Result>,
  deps: Deps,
  data: unknown,
  attemptsMade = 0,
): Promise<Result> {
  const bullJob = { attemptsMade, opts: { attempts: job.attempts }, stalledCounter: 0 };
  return job.run(deps, job.payload.parse(data), controlOf(bullJob as unknown as Job, undefined));
}

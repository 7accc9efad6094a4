import type { AnyJob } from '@tokenlane/queue';
import type { LifecycleContext } from './context.js';
import { outboxJob } from './events/relay.js';
import { notifyJob } from './events/deliver.js';
import { exchangeJob } from './links/exchange.job.js';
import { identityJob } from './links/identity.job.js';
import { migrateJob } from './migrations/run.js';
import { retentionJob } from './retention/retention.js';
import { revokeJob } from './revoke/revoke.js';
import { sweepJob } from './sweep.job.js';
import { reauthJob } from './tokens/reauth.js';
import { refreshBatchJob } from './tokens/refresh-batch.job.js';
import { refreshJob } from './tokens/refresh.job.js';

/**
 * Every job tokenlane runs, one line each; the worker starts one BullMQ worker per entry, and
 * each entry is the job's whole story (docs/architecture.md, "A job's whole story").
 */
export const JOBS = [
  exchangeJob,
  refreshJob,
  refreshBatchJob,
  reauthJob,
  revokeJob,
  notifyJob,
  migrateJob,
  identityJob,
  sweepJob,
  outboxJob,
  retentionJob,
] as const satisfies readonly AnyJob<LifecycleContext>[];

export type Job = (typeof JOBS)[number];
export type JobName = Job['name'];
export const JOB_NAMES: readonly JobName[] = JOBS.map((job) => job.name);

/** The job named `name`; undefined for a name that is no job of ours (a stray queue). */
export function jobNamed(name: string): Job | undefined {
  return JOBS.find((job) => job.name === name);
}

import type { KeepJobs } from 'bullmq';
import type { z } from 'zod';
import type { BackoffOptions } from './backoff.js';
import type { JobControl } from './control.js';

/** BullMQ's `removeOnComplete` / `removeOnFail`: true, or keep by age (s) and count. */
export type Keep = true | KeepJobs;

/** A recurring job: one BullMQ job scheduler shared by every worker replica. */
export interface JobSchedule<Deps> {
  /** How often it runs, in ms. */
  everyMs(deps: Deps): number;
  /** Whether this deployment runs it at all (default: always). */
  enabled?(deps: Deps): boolean;
}

/**
 * Everything about one job, in one place: its payload (ids only — docs/architecture.md,
 * rule 1), deterministic id (rule 7), retries, retention, lock, concurrency, optional
 * schedule, and the work itself. `run` gets the payload parsed once, at the worker, and a
 * {@link JobControl} instead of BullMQ's job, so no job needs to know BullMQ.
 *
 * Members that take the payload or deps are methods on purpose: a method's parameters are
 * checked bivariantly, so a list of jobs with different payloads is one array type.
 */
export interface JobDefinition<
  Deps = never,
  Payload = unknown,
  Result = unknown,
  Name extends string = string,
> {
  /** The queue's name, and the BullMQ job name. */
  readonly name: Name;
  /** Parses the job's data into the payload `run` gets (branded ids included). */
  readonly payload: z.ZodType<Payload>;
  /** The deterministic job id: the same event enqueued twice is one job. */
  jobId(payload: Payload): string;
  readonly attempts: number;
  readonly backoff: BackoffOptions;
  readonly retention: { readonly completed: Keep; readonly failed: Keep };
  /**
   * How long a running job's lock lasts without renewal (the worker renews it every half).
   * A worker killed mid-job holds it this long at most; another worker's stalled check, every
   * half of it, then takes the job back. Sized to the work: seconds for a refresh a token
   * caller waits on, longer for batches.
   */
  readonly lockMs: number;
  /** Parallel jobs per worker process; the worker's startup may override it. */
  readonly concurrency: number;
  readonly schedule?: JobSchedule<Deps>;
  /** The work. What it returns is kept by BullMQ and sent on its event stream: keep it tiny. */
  run(deps: Deps, payload: Payload, control: JobControl): Promise<Result>;
}

/** Any job whose `run` can be given `Deps`: what a worker's list of jobs holds. */
export type AnyJob<Deps> = JobDefinition<Deps>;

/** The parts of a job a producer needs to add it. */
export type JobTarget<Payload> = Pick<
  JobDefinition<never, Payload>,
  'name' | 'jobId' | 'attempts' | 'retention'
>;

/** Declares a job; only an identity function, for its inferred types. */
export function defineJob<Deps, Payload, Result, const Name extends string>(
  definition: JobDefinition<Deps, Payload, Result, Name>,
): JobDefinition<Deps, Payload, Result, Name> {
  return definition;
}

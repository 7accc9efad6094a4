import { JOBS, type Job, type JobName, type LifecycleContext } from '@tokenlane/lifecycle';
import type { AnyJob, JobSchedule } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/** A recurring job: one BullMQ job scheduler shared by every worker replica. */
export interface Schedule {
  readonly job: JobName;
  readonly everyMs: number;
  readonly retention: Job['retention'];
}

/** True for a job with a schedule in its definition. */
export function isScheduled<J extends AnyJob<LifecycleContext>>(
  job: J,
): job is J & { readonly schedule: JobSchedule<LifecycleContext> } {
  return job.schedule !== undefined;
}

/** The schedules this deployment runs, read from the jobs' definitions. */
export function schedulesOf(rt: Runtime): readonly Schedule[] {
  return JOBS.filter(isScheduled)
    .filter((job) => job.schedule.enabled?.(rt) ?? true)
    .map((job) => ({ job: job.name, everyMs: job.schedule.everyMs(rt), retention: job.retention }));
}

/** The scheduled jobs this deployment does not run (the outbox without a webhook). */
function unscheduled(rt: Runtime): readonly JobName[] {
  const running = new Set(schedulesOf(rt).map((schedule) => schedule.job));
  return JOBS.filter(isScheduled)
    .map((job) => job.name)
    .filter((name) => !running.has(name));
}

/**
 * Sets every schedule (and removes those this deployment does not run: the outbox without a
 * webhook). Upserting is
 * idempotent: every replica may do it and the schedule stays one; a schedule whose next run
 * was lost gets it back.
 */
export async function scheduleRecurringJobs(rt: Runtime): Promise<void> {
  for (const schedule of schedulesOf(rt)) await assertSchedule(rt, schedule);
  for (const job of unscheduled(rt)) await rt.queues.queue(job).removeJobScheduler(job);
}

/** Upserts one schedule: BullMQ adds its next run when none exists. */
export async function assertSchedule(
  rt: Runtime,
  { job, everyMs, retention }: Schedule,
): Promise<void> {
  await rt.queues.queue(job).upsertJobScheduler(
    job,
    { every: everyMs },
    {
      name: job,
      data: {},
      // The job's retention, else BullMQ keeps every run.
      opts: { removeOnComplete: retention.completed, removeOnFail: retention.failed },
    },
  );
}

/** The Redis hash of each schedule's last run (ms), written by whichever worker ran it. */
export const lastRunKey = (rt: Runtime) => `${rt.config.queuePrefix}:schedule-runs`;

/** Notes that `job` ran now, for the schedule watch of every replica. */
export async function recordRun(rt: Runtime, job: string): Promise<void> {
  const now = Date.now();
  await rt.redis.hset(lastRunKey(rt), job, String(now));
  rt.metrics.scheduleLastRun.set({ job }, now / 1000);
}

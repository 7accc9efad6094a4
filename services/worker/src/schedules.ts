import { JOB_CATALOG } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/** The recurring jobs: each a BullMQ job scheduler shared by every worker replica. */
export type ScheduledJob = 'sweep' | 'outbox' | 'retention';

export interface Schedule {
  readonly job: ScheduledJob;
  readonly everyMs: number;
}

/** How often undelivered events are relayed to the `notify` queue. */
const OUTBOX_INTERVAL_MS = 1_000;

/** How often the retention job deletes what nobody needs any more. */
const RETENTION_INTERVAL_MS = 10 * 60_000;

/** The schedules this deployment runs: the outbox only when a webhook is configured. */
export function schedulesOf(rt: Runtime): readonly Schedule[] {
  return [
    { job: 'sweep', everyMs: rt.config.sweepIntervalMs },
    { job: 'retention', everyMs: RETENTION_INTERVAL_MS },
    ...(rt.config.webhook === undefined
      ? []
      : [{ job: 'outbox' as const, everyMs: OUTBOX_INTERVAL_MS }]),
  ];
}

/**
 * Sets every schedule (and removes the outbox's when no webhook is configured). Upserting is
 * idempotent: every replica may do it and the schedule stays one; a schedule whose next run
 * was lost gets it back.
 */
export async function scheduleRecurringJobs(rt: Runtime): Promise<void> {
  for (const schedule of schedulesOf(rt)) await assertSchedule(rt, schedule);
  if (rt.config.webhook === undefined) await rt.queues.queue('outbox').removeJobScheduler('outbox');
}

/** Upserts one schedule: BullMQ adds its next run when none exists. */
export async function assertSchedule(rt: Runtime, { job, everyMs }: Schedule): Promise<void> {
  const { retention } = JOB_CATALOG[job];
  await rt.queues.queue(job).upsertJobScheduler(
    job,
    { every: everyMs },
    {
      name: job,
      data: {},
      // The catalog's retention, else BullMQ keeps every run.
      opts: { removeOnComplete: retention.completed, removeOnFail: retention.failed },
    },
  );
}

/** The Redis hash of each schedule's last run (ms), written by whichever worker ran it. */
export const lastRunKey = (rt: Runtime) => `${rt.config.queuePrefix}:schedule-runs`;

/** Notes that `job` ran now, for the schedule watch of every replica. */
export async function recordRun(rt: Runtime, job: ScheduledJob): Promise<void> {
  const now = Date.now();
  await rt.redis.hset(lastRunKey(rt), job, String(now));
  rt.metrics.scheduleLastRun.set({ job }, now / 1000);
}

import { countUndeliveredEvents, oldestOverdueRefresh } from '@tokenlane/db';
import { resumeMigrations } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import { withDeadline } from './deadline.js';
import { assertSchedule, lastRunKey, schedulesOf, type Schedule } from './schedules.js';

/** How often each worker process checks the schedules (its own timer, not one held in Redis). */
export const SCHEDULE_WATCH_MS = 5_000;
/** A schedule not run for this many intervals is asserted again. */
const STALE_INTERVALS = 3;
/** Slack for a run that is merely slow to be picked up. */
const GRACE_MS = 5_000;
/** How often the running migrations' pending items are re-added (deterministic job ids). */
const MIGRATION_RESUME_MS = 5 * 60_000;
/** A check that takes longer is abandoned, so the next one still runs. */
const CHECK_DEADLINE_MS = 10_000;
/**
 * The outbox backlog is counted up to this many events: every replica counts every 5 s, and
 * the alert needs only "over 100 and growing".
 */
const BACKLOG_CAP = 10_000;

/** Why a schedule is asserted again; undefined when it is healthy. */
export type ScheduleFault = 'missing' | 'no_next_run' | 'stale';

/**
 * Recurring work lives in Redis as BullMQ job schedulers, and each run schedules the next as a
 * delayed job. Redis replication is asynchronous, so a failover can lose that next run, and a
 * lost run would end the schedule for good (the sweeper, the outbox) with nothing left to
 * notice. Postgres is the truth, Redis a cache of intentions: every worker process checks, on
 * a timer of its own, that each schedule exists, has its next run queued and ran within three
 * intervals, and asserts it again otherwise (once across replicas, under a short Redis lock).
 * What the lost runs would have done is re-derived from Postgres by the next ones: the sweeper
 * re-adds every due refresh, the relay every undelivered event. The same timer re-adds the
 * jobs of running migrations' pending items, and reports how far behind refreshes and
 * deliveries are (`tokenlane_refresh_lag_seconds`, `tokenlane_events_undelivered`).
 */
export function startScheduleWatch(
  rt: Runtime,
  options: { readonly everyMs?: number | undefined } = {},
): { readonly check: () => Promise<void>; stop(): void } {
  let checking = false;
  let lastResume = Date.now();
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      for (const schedule of schedulesOf(rt)) {
        await withDeadline(watchSchedule(rt, schedule), CHECK_DEADLINE_MS, 'schedule check');
      }
      await withDeadline(reportBacklog(rt), CHECK_DEADLINE_MS, 'backlog count');
      if (Date.now() - lastResume >= MIGRATION_RESUME_MS) {
        lastResume = Date.now();
        await resumeMigrations(rt);
      }
    } catch (error) {
      rt.logger.warn(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        'schedule watch could not check (Redis or the database unreachable): trying again',
      );
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), options.everyMs ?? SCHEDULE_WATCH_MS);
  timer.unref();
  return {
    check,
    stop: () => {
      clearInterval(timer);
    },
  };
}

async function watchSchedule(rt: Runtime, schedule: Schedule): Promise<void> {
  const fault = await scheduleFault(rt, schedule, Date.now());
  if (fault === undefined) return;
  // One replica repairs; the others see a healthy schedule on their next check.
  const lock = `${rt.config.queuePrefix}:schedule-repair:${schedule.job}`;
  const owned = await rt.redis.set(lock, String(process.pid), 'PX', schedule.everyMs, 'NX');
  if (owned === null) return;
  await assertSchedule(rt, schedule);
  rt.metrics.scheduleRepairs.inc({ job: schedule.job });
  rt.logger.warn(
    { job: schedule.job, fault },
    'recurring job had lost its schedule (a Redis failover?): scheduled again',
  );
}

/** What is wrong with a schedule, read from Redis; also publishes its last run. */
export async function scheduleFault(
  rt: Runtime,
  { job, everyMs }: Schedule,
  now: number,
): Promise<ScheduleFault | undefined> {
  rt.metrics.scheduleInterval.set({ job }, everyMs / 1000);
  const queue = rt.queues.queue(job);
  const scheduler = await queue.getJobScheduler(job);
  const lastRun = Number((await rt.redis.hget(lastRunKey(rt), job)) ?? Number.NaN);
  if (Number.isFinite(lastRun)) rt.metrics.scheduleLastRun.set({ job }, lastRun / 1000);
  const next = scheduler?.next;
  if (typeof next !== 'number') return 'missing';
  const state = await queue.getJobState(`repeat:${job}:${next}`);
  if (state === 'unknown' || state === 'completed' || state === 'failed') return 'no_next_run';
  const limit = STALE_INTERVALS * everyMs + GRACE_MS;
  const since = Math.max(Number.isFinite(lastRun) ? lastRun : 0, next - everyMs);
  return now - since > limit ? 'stale' : undefined;
}

async function reportBacklog(rt: Runtime): Promise<void> {
  const now = new Date();
  const overdue = await oldestOverdueRefresh(rt.db, now);
  rt.metrics.refreshLag.set(overdue === undefined ? 0 : (now.getTime() - overdue.getTime()) / 1000);
  rt.metrics.eventsUndelivered.set(
    rt.config.webhook === undefined ? 0 : await countUndeliveredEvents(rt.db, BACKLOG_CAP),
  );
}

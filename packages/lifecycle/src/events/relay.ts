import { listUndeliveredEvents, type EventRecord } from '@tokenlane/db';
import { defineJob } from '@tokenlane/queue';
import type { LifecycleContext } from '../context.js';
import { RECURRING } from '../payload-ids.js';
import { notifyJob } from './deliver.js';
import { deliverableHeads } from './ordering.js';

/** How often undelivered events are relayed to the `notify` queue. */
const OUTBOX_INTERVAL_MS = 1_000;

/**
 * `outbox`, a recurring job (only where a webhook is configured): relay the events outbox,
 * enqueueing `notify` for each connection's oldest undelivered event (see {@link relayOutbox}).
 */
export const outboxJob = defineJob({
  ...RECURRING,
  name: 'outbox',
  jobId: () => 'outbox',
  lockMs: 30_000,
  schedule: {
    everyMs: () => OUTBOX_INTERVAL_MS,
    enabled: (ctx: Pick<LifecycleContext, 'config'>) => ctx.config.webhook !== undefined,
  },
  run: (ctx: Pick<LifecycleContext, 'db' | 'queues' | 'config'>) => relayOutbox(ctx),
});

/** Undelivered events the relay reads per run, oldest first. */
export const RELAY_BATCH_SIZE = 500;

/** A head still undelivered this long after it was written has its `notify` job checked. */
export const STUCK_HEAD_MS = 60_000;
/** Old heads checked per run (two Redis reads each), sampled, so a long outage costs little. */
const STUCK_HEAD_CHECKS = 10;

/** What one relay run did (counts only: it is a job's return value). */
export interface RelayOutcome {
  /** Heads offered to the `notify` queue; those already queued or kept were not re-added. */
  readonly offered: number;
}

/**
 * The outbox relay, run every second by the `outbox` job scheduler: enqueues a `notify` job
 * for each connection's oldest undelivered event (and each event without a connection) among
 * the oldest `limit`. Job ids are deterministic and kept after completion, so offering an
 * event that is queued, in backoff or just delivered adds nothing; an event written since the
 * last run, or whose chain a crash broke, is picked up here. Without a webhook it does nothing
 * and events stay readable through `GET /v1/events`.
 *
 * It also revives `notify` jobs that used up their attempts (a receiver down for hours): a
 * failed job keeps its id for days, which would block its event and, through the per-
 * connection order, every later event of that connection. Each job that failed more than a
 * backoff cap ago gets one more attempt, so a long outage ends in hourly retries, never in loss.
 */
export async function relayOutbox(
  ctx: Pick<LifecycleContext, 'db' | 'queues' | 'config'>,
  limit: number = RELAY_BATCH_SIZE,
): Promise<RelayOutcome> {
  if (ctx.config.webhook === undefined) return { offered: 0 };
  const heads = deliverableHeads(await listUndeliveredEvents(ctx.db, limit));
  await freeStuckHeads(ctx, heads, Date.now());
  if (heads.length > 0) {
    await ctx.queues.enqueueBulk(
      notifyJob,
      heads.map((event) => ({ payload: { eventId: event.id } })),
    );
  }
  await ctx.queues.queue(notifyJob.name).retryJobs({
    state: 'failed',
    count: limit,
    timestamp: Date.now() - notifyJob.backoff.capMs,
  });
  return { offered: heads.length };
}

/**
 * Redis is a cache of intentions; the outbox in Postgres is the truth. A head's `notify` job
 * that can never deliver it blocks the event, and through the per-connection order every later
 * one, for good, since its kept id makes the relay's add a no-op: a job `completed` while its
 * event is undelivered, or one in no state at all (its hash survived a failover, its place in
 * a list did not). Such a job is removed, so the add that follows makes a fresh one. Only
 * heads older than {@link STUCK_HEAD_MS} are looked at, a few per run.
 */
async function freeStuckHeads(
  ctx: Pick<LifecycleContext, 'queues'>,
  heads: readonly EventRecord[],
  now: number,
): Promise<void> {
  const old = heads.filter((head) => now - head.createdAt.getTime() >= STUCK_HEAD_MS);
  const queue = ctx.queues.queue(notifyJob.name);
  for (const head of sample(old, STUCK_HEAD_CHECKS)) {
    const job = await queue.getJob(notifyJob.jobId({ eventId: head.id }));
    if (job === undefined) continue;
    const state = await job.getState();
    if (state === 'completed' || state === 'unknown') await job.remove();
  }
}

/** Up to `count` of `items`, picked at random (all of them when there are no more). */
function sample<T>(items: readonly T[], count: number): readonly T[] {
  if (items.length <= count) return items;
  return items
    .map((item) => ({ item, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .map(({ item }) => item);
}

import { listUndeliveredEvents } from '@tokenlane/db';
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

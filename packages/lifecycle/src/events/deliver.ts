import type { EventId } from '@tokenlane/core';
import { findEvent, markDelivered, recordDeliveryFailure, type EventRecord } from '@tokenlane/db';
import { observeWebhookDelivery } from '@tokenlane/metrics';
import { defineJob } from '@tokenlane/queue';
import { z } from 'zod';
import type { LifecycleContext } from '../context.js';
import { eventIdSchema } from '../payload-ids.js';
import type { Dispatcher } from 'undici';
import { DeliveryError } from './errors.js';
import { undeliveredPredecessor, undeliveredSuccessor } from './ordering.js';
import { processWebhookResponse, sendWebhookRequest, webhookRequest } from './webhook.js';

/** What one delivery attempt did (ids and codes only: it is a job's return value). */
export type DeliveryOutcome =
  | { readonly status: 'delivered'; readonly next: EventId | null }
  | { readonly status: 'already_delivered'; readonly next: EventId | null }
  /** No `TOKENLANE_WEBHOOK_URL`: the event stays undelivered, readable at `GET /v1/events`. */
  | { readonly status: 'no_webhook' }
  | { readonly status: 'not_found' }
  /** An older event of the same connection is undelivered: retry later, do not send. */
  | { readonly status: 'blocked'; readonly by: EventId };

/** How long a job whose event waits behind an older one of its connection is parked. */
const BLOCKED_RECHECK_MS = 2_000;

/**
 * `notify`: deliver one outbox event (see {@link deliverEvent}). Failures throw, so the
 * backoff (honoring `Retry-After`) schedules the next attempt. A job for an event that must
 * wait for an older one of its connection is parked rather than completed: a completed job
 * keeps its id, which would swallow the event's next enqueue. Parking spends no attempt.
 * Declared beside its work because a delivery adds the next event's job.
 */
export const notifyJob = defineJob({
  name: 'notify',
  payload: z.strictObject({ eventId: eventIdSchema }),
  jobId: (p) => `notify-${p.eventId}`,
  attempts: 20,
  backoff: { baseMs: 1_000, capMs: 60 * 60_000 },
  retention: { completed: { age: 86_400, count: 10_000 }, failed: { age: 7 * 86_400 } },
  lockMs: 15_000,
  concurrency: 20,
  async run(
    ctx: Pick<LifecycleContext, 'db' | 'queues' | 'metrics' | 'logger' | 'config'>,
    { eventId },
    control,
  ) {
    const outcome = await deliverEvent(ctx, eventId);
    if (outcome.status === 'blocked') await control.deferUntil(Date.now() + BLOCKED_RECHECK_MS);
    return outcome;
  },
});

export interface DeliverOptions {
  /** Overrides the webhook Agent (tests). */
  readonly dispatcher?: Dispatcher;
  readonly now?: () => number;
}

/**
 * Delivers one outbox event to `TOKENLANE_WEBHOOK_URL` (docs/api.md): POSTs `{id, type,
 * createdAt, data}` signed with `Tokenlane-Signature`, marks it delivered on 2xx and enqueues
 * the connection's next undelivered event (see ./ordering.ts for the order guarantee).
 * Anything else is recorded on the event (`http_503`, `timeout`, `network`) and thrown as a
 * DeliveryError carrying the receiver's `Retry-After` for the queue's backoff. At-least-once:
 * a crash between the receiver's 2xx and `markDelivered` sends the event again.
 */
export async function deliverEvent(
  ctx: Pick<LifecycleContext, 'db' | 'queues' | 'metrics' | 'logger' | 'config'>,
  id: EventId,
  options: DeliverOptions = {},
): Promise<DeliveryOutcome> {
  const event = await findEvent(ctx.db, id);
  if (event === undefined) return { status: 'not_found' };
  if (event.deliveredAt !== null) {
    // Still chain on: a crash after markDelivered may have left the successor unqueued.
    return { status: 'already_delivered', next: await next(ctx, event) };
  }
  const webhook = ctx.config.webhook;
  if (webhook === undefined) return { status: 'no_webhook' };
  const blocker = await undeliveredPredecessor(ctx.db, event);
  if (blocker !== undefined) return { status: 'blocked', by: blocker };

  const req = webhookRequest(webhook, event, (options.now ?? Date.now)());
  try {
    processWebhookResponse(await sendWebhookRequest(req, options.dispatcher), req.url);
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    await recordDeliveryFailure(ctx.db, event.id, error.recordedAs);
    observeWebhookDelivery(ctx.metrics, 'failed');
    ctx.logger.debug(
      {
        eventId: event.id,
        type: event.type,
        code: error.recordedAs,
        attempt: event.deliveryAttempts + 1,
      },
      'event delivery failed',
    );
    throw error;
  }
  await markDelivered(ctx.db, event.id);
  observeWebhookDelivery(ctx.metrics, 'delivered');
  ctx.logger.debug({ eventId: event.id, type: event.type }, 'event delivered');
  return { status: 'delivered', next: await next(ctx, event) };
}

/** Enqueues the connection's next undelivered event; its job id makes a repeat a no-op. */
async function next(
  ctx: Pick<LifecycleContext, 'db' | 'queues' | 'config'>,
  event: EventRecord,
): Promise<EventId | null> {
  if (ctx.config.webhook === undefined) return null;
  const successor = await undeliveredSuccessor(ctx.db, event);
  if (successor === undefined) return null;
  await ctx.queues.enqueue(notifyJob, { eventId: successor });
  return successor;
}

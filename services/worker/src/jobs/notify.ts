import type { EventId } from '@tokenlane/core';
import { deliverEvent } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { DelayedError } from 'bullmq';

/** How long a job whose event waits behind an older one of its connection is parked. */
const BLOCKED_RECHECK_MS = 2_000;

/**
 * `notify`: deliver one outbox event (see lifecycle's deliverEvent). Failures throw, so the
 * catalog's backoff (honoring `Retry-After`) schedules the next attempt. A job for an event
 * that must wait for an older one of its connection is moved back to delayed rather than
 * completed: a completed job keeps its id, which would swallow the event's next enqueue. Parking
 * does not use up an attempt.
 */
export function notifyHandler(rt: Runtime): JobHandlers['notify'] {
  return async ({ eventId }, job, token) => {
    const outcome = await deliverEvent(rt, eventId as EventId);
    if (outcome.status !== 'blocked') return outcome;
    await job.moveToDelayed(Date.now() + BLOCKED_RECHECK_MS, token);
    throw new DelayedError();
  };
}

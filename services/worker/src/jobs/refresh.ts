import type { ConnectionId } from '@tokenlane/core';
import { refreshConnection } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { DelayedError } from 'bullmq';

/** Spread of deferred jobs waking together, so they do not arrive at Redis in one burst. */
const WAKE_SPREAD_MS = 2_000;

/**
 * `refresh`: one refresh of one connection. A refresh the provider's rate limit or breaker
 * defers goes back to delayed, costing no attempt. A provider refusal completes the job: its
 * next attempt is on the row (`refresh_due_at`, found by the sweeper), so backoff persists
 * across jobs. Only our own failures (database, a bug) throw, for the queue to retry.
 */
export function refreshHandler(rt: Runtime): JobHandlers['refresh'] {
  return async ({ connectionId, trigger, tokenVersion }, job, token) => {
    const outcome = await refreshConnection(rt, connectionId as ConnectionId, {
      trigger,
      ...(tokenVersion === undefined ? {} : { expectedVersion: tokenVersion }),
      // BullMQ counts how often this job's lock lapsed while a worker held it.
      interrupted: job.stalledCounter > 0,
    });
    if (outcome.status === 'deferred' && token !== undefined) {
      const wake = Date.now() + outcome.retryInMs + Math.floor(Math.random() * WAKE_SPREAD_MS);
      await job.moveToDelayed(wake, token);
      throw new DelayedError();
    }
    return outcome;
  };
}

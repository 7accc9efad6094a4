import type { ConnectionId } from '@tokenlane/core';
import { migrateConnection } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { DelayedError } from 'bullmq';

/** Spread of rate-limited jobs waking together, so they do not arrive at Redis in one burst. */
const WAKE_SPREAD_MS = 1_000;

/**
 * `migrate`: one connection of a provider migration. A call the provider's rate limit defers
 * goes back to delayed without spending an attempt; a transient provider failure throws for
 * the job's backoff, and its last attempt records the connection as `failed`.
 */
export function migrateHandler(rt: Runtime): JobHandlers['migrate'] {
  return async ({ migrationId, connectionId }, job, token) => {
    const outcome = await migrateConnection(rt, migrationId, connectionId as ConnectionId, {
      finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    });
    if (outcome.status === 'deferred' && token !== undefined) {
      const wake = Date.now() + outcome.retryInMs + Math.floor(Math.random() * WAKE_SPREAD_MS);
      await job.moveToDelayed(wake, token);
      throw new DelayedError();
    }
    return outcome;
  };
}

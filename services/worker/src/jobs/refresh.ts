import type { ConnectionId } from '@tokenlane/core';
import { readConnection, refreshConnection } from '@tokenlane/lifecycle';
import { ProviderError } from '@tokenlane/providers';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { takeProviderSlot } from '../rate-limit.js';

/**
 * `refresh`: one refresh of one connection. Waits its turn under the provider's rate limit
 * (the job goes back to delayed, costing no attempt), lets transient provider failures retry
 * with the queue's backoff, and stops retrying on answers that retrying cannot change.
 */
export function refreshHandler(rt: Runtime): JobHandlers['refresh'] {
  return async ({ connectionId, trigger, tokenVersion }, job, token) => {
    const id = connectionId as ConnectionId;
    const connection = await readConnection(rt, id);
    if (connection === undefined) return { status: 'skipped', reason: 'not_found' };
    const limit = rt.providers.get(connection.provider)?.rateLimit;
    if (limit !== undefined && token !== undefined) {
      const wait = await takeProviderSlot(
        rt.redis,
        rt.config.queuePrefix,
        connection.provider,
        limit,
      );
      if (wait > 0) {
        await job.moveToDelayed(Date.now() + wait + Math.floor(Math.random() * 100), token);
        throw new DelayedError();
      }
    }
    try {
      return await refreshConnection(rt, id, {
        force: trigger !== 'schedule',
        ...(tokenVersion === undefined ? {} : { expectedVersion: tokenVersion }),
        connection,
        // BullMQ counts how often this job's lock lapsed while a worker held it.
        interrupted: job.stalledCounter > 0,
      });
    } catch (error) {
      if (error instanceof ProviderError && !error.retryable) {
        throw new UnrecoverableError(`refresh failed: ${error.code}`);
      }
      throw error;
    }
  };
}

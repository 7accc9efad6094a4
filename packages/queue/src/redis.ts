import { Redis, type RedisOptions } from 'ioredis';

/**
 * Who holds the connection decides how it fails:
 * - `worker`: blocking BullMQ commands; retries forever (`maxRetriesPerRequest: null` is
 *   required by BullMQ workers) so a Redis restart is ridden out.
 * - `producer`: request paths (an HTTP handler enqueuing a job); fails fast instead of
 *   queueing commands while Redis is away, so callers can answer 503 at once.
 */
export type RedisRole = 'worker' | 'producer';

/** Opens an ioredis connection tuned for its role. */
export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    connectionName: `tokenlane-${role}`,
    // Reconnect with a capped backoff; never give up for workers.
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...extra,
  };
  return role === 'worker'
    ? new Redis(url, { ...common, maxRetriesPerRequest: null, enableReadyCheck: true })
    : new Redis(url, { ...common, maxRetriesPerRequest: 1, enableOfflineQueue: false });
}

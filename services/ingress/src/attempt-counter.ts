import type { RedisClient } from '@tokenlane/queue';

/**
 * One round trip, atomic: count an attempt and start its window at the first one (a key
 * whose expiry was lost gets it back). Read-then-increment would let concurrent requests,
 * or several replicas, each see the old count.
 */
const COUNT_ATTEMPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const UNCOUNT_ATTEMPT = `
local count = redis.call('DECR', KEYS[1])
if count <= 0 then redis.call('DEL', KEYS[1]) end
return count`;

interface AttemptCommands {
  tokenlaneCountAttempt(key: string, windowSeconds: number): Promise<[number, number]>;
  tokenlaneUncountAttempt(key: string): Promise<number>;
}

const defined = new WeakSet<RedisClient>();

/** The scripts as ioredis commands (EVALSHA, falling back to EVAL once per connection). */
function commands(redis: RedisClient): AttemptCommands {
  if (!defined.has(redis)) {
    redis.defineCommand('tokenlaneCountAttempt', { numberOfKeys: 1, lua: COUNT_ATTEMPT });
    redis.defineCommand('tokenlaneUncountAttempt', { numberOfKeys: 1, lua: UNCOUNT_ATTEMPT });
    defined.add(redis);
  }
  return redis as unknown as AttemptCommands;
}

/** An attempt counted in its window: how many so far, and seconds until the window ends. */
export interface AttemptCount {
  readonly count: number;
  readonly retryAfterSeconds: number;
}

/** Counts one attempt under `key` in a window of `windowSeconds` started by the first. */
export async function countAttempt(
  redis: RedisClient,
  key: string,
  windowSeconds: number,
): Promise<AttemptCount> {
  const [count, ttl] = await commands(redis).tokenlaneCountAttempt(key, windowSeconds);
  return { count, retryAfterSeconds: Math.max(1, ttl) };
}

/** Takes back an attempt that turned out to succeed. */
export async function uncountAttempt(redis: RedisClient, key: string): Promise<void> {
  await commands(redis).tokenlaneUncountAttempt(key);
}

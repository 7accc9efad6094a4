import { defineScript, type RedisClient } from '@tokenlane/queue';
import { providerKeys } from './keys.js';

/** At most `requests` calls per `perSeconds` to one provider's token endpoint. */
export interface ProviderRateLimit {
  readonly requests: number;
  readonly perSeconds: number;
}

// One fixed window per provider, shared by every worker replica through Redis.
const TAKE = defineScript(
  'provider_slot',
  `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if count > tonumber(ARGV[2]) then return redis.call('PTTL', KEYS[1]) end
return 0`,
);

/**
 * Takes one call from the provider's window; returns 0 when allowed, else how many ms until
 * the window reopens. The key holds a counter only (no ids, no secrets).
 */
export async function takeProviderSlot(
  redis: RedisClient,
  prefix: string,
  provider: string,
  limit: ProviderRateLimit,
): Promise<number> {
  const windowMs = limit.perSeconds * 1000;
  const key = providerKeys.rateWindow(prefix, provider, Math.floor(Date.now() / windowMs));
  const wait = (await TAKE(redis, [key], [windowMs, limit.requests])) as number;
  return wait > 0 ? wait : 0;
}

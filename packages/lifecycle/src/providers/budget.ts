import { createHash } from 'node:crypto';
import type { Provider } from '@tokenlane/providers';
import { defineScript, type RedisClient } from '@tokenlane/queue';

/** One of a provider's documented limits: `requests` per `perSeconds`, app-wide or per user. */
export interface RateWindow {
  readonly requests: number;
  readonly perSeconds: number;
  readonly per?: 'app' | 'connection';
}

/** Who is drawing: refreshes may spend the whole window, proxied calls all but the reserve. */
export type BudgetUse = 'refresh' | 'proxy';

/** The provider's windows: `rateLimits`, else the old `rateLimit` as one app-wide window. */
export function windowsOf(provider: Provider): readonly RateWindow[] {
  if (provider.rateLimits !== undefined) return provider.rateLimits;
  return provider.rateLimit === undefined ? [] : [{ ...provider.rateLimit, per: 'app' }];
}

// Checks every window first and counts in all of them only when each has room, so a call
// refused by one window spends nothing from the others. Returns 0, or ms until room.
const TAKE = defineScript(
  'budget_take',
  `
local n = #KEYS
for i = 1, n do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[n + i]) then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 1 then ttl = tonumber(ARGV[i]) end
    return ttl
  end
end
for i = 1, n do
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[i]) end
end
return 0`,
);

/** Connection ids stay out of Redis key names in the clear (counters only, rule of keys.ts). */
function scopeOf(window: RateWindow, connectionId: string): string {
  if (window.per !== 'connection') return 'app';
  return createHash('sha256').update(connectionId).digest('hex').slice(0, 16);
}

function windowKey(prefix: string, provider: string, window: RateWindow, scope: string) {
  const windowMs = window.perSeconds * 1000;
  const number = Math.floor(Date.now() / windowMs);
  return `${prefix}:budget:${provider}:${String(window.perSeconds)}s:${scope}:${String(number)}`;
}

/** How many calls of a window a use may spend: proxied calls leave the refresh reserve. */
function allowance(window: RateWindow, use: BudgetUse, reserve: number): number {
  if (use === 'refresh') return window.requests;
  return Math.max(0, Math.floor(window.requests * (1 - reserve)));
}

/**
 * Takes one call from every window of the provider (app-wide and this connection's), shared
 * by every replica through Redis. Returns 0 when allowed, else how many ms until a window has
 * room again; nothing is counted then.
 */
export async function takeBudget(
  redis: RedisClient,
  prefix: string,
  provider: Provider,
  connectionId: string,
  use: BudgetUse,
  reserve: number,
): Promise<number> {
  const windows = windowsOf(provider);
  if (windows.length === 0) return 0;
  const keys = windows.map((window) =>
    windowKey(prefix, provider.id, window, scopeOf(window, connectionId)),
  );
  const args = [
    ...windows.map((window) => window.perSeconds * 1000),
    ...windows.map((window) => allowance(window, use, reserve)),
  ];
  const wait = (await TAKE(redis, keys, args)) as number;
  return wait > 0 ? wait : 0;
}

/** Held back after a provider's 429: the whole provider, or one connection when its limit is per user. */
function holdKey(prefix: string, provider: Provider, connectionId: string): string {
  const windows = windowsOf(provider);
  const perUser = windows.length > 0 && windows.every((window) => window.per === 'connection');
  const scope = perUser
    ? scopeOf({ requests: 0, perSeconds: 1, per: 'connection' }, connectionId)
    : 'app';
  return `${prefix}:holdback:${provider.id}:${scope}`;
}

/** Without a `Retry-After`, a provider's 429 holds calls back this long. */
export const DEFAULT_HOLD_MS = 10_000;

/** A provider answered 429: hold its calls (or this connection's) back until `ms` pass. */
export async function holdBack(
  redis: RedisClient,
  prefix: string,
  provider: Provider,
  connectionId: string,
  ms: number,
): Promise<void> {
  await redis.set(holdKey(prefix, provider, connectionId), '1', 'PX', Math.max(1, Math.ceil(ms)));
}

/** Ms until a 429 hold-back passes, or 0. */
export async function heldBackFor(
  redis: RedisClient,
  prefix: string,
  provider: Provider,
  connectionId: string,
): Promise<number> {
  const ttl = await redis.pttl(holdKey(prefix, provider, connectionId));
  return ttl > 0 ? ttl : 0;
}

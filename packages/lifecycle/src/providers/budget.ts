import { createHash } from 'node:crypto';
import type { Provider } from '@tokenlane/providers';
import { defineScript, type RedisClient } from '@tokenlane/queue';
import DataLoader from 'dataloader';
import type { LifecycleContext } from '../context.js';

/** One of a provider's documented limits: `requests` per `perSeconds`, app-wide or per user. */
export interface RateWindow {
  readonly requests: number;
  readonly perSeconds: number;
  readonly per?: 'app' | 'connection';
}

/**
 * Who is drawing. Refreshes (and a migration's token exchange, which stands in for one) may
 * spend the whole window; proxied calls and identity look-ups all but the refresh reserve. A
 * link's own identity look-up cannot wait (the user is at the callback), so it is only
 * counted, even past the limit.
 */
export type BudgetUse = 'refresh' | 'proxy' | 'lookup' | 'link';

/** What the budget reads of a provider, configured or not. */
type Limited = Pick<Provider, 'id' | 'rateLimit' | 'rateLimits'>;

/** The provider's windows: `rateLimits`, else the old `rateLimit` as one app-wide window. */
export function windowsOf(provider: Limited): readonly RateWindow[] {
  if (provider.rateLimits !== undefined) return provider.rateLimits;
  return provider.rateLimit === undefined ? [] : [{ ...provider.rateLimit, per: 'app' }];
}

// Takes for many calls in one round trip, in order, each as one take would: check every counter
// of the call first and count in all of them only when each has room, so a call refused by
// one window spends nothing from the others. ARGV: the number of calls, then per call its
// number of counters and, per counter, ms to its window's end and its allowance; KEYS: per
// call, its counters. Returns per call 0, or ms until room.
const TAKE_EACH = defineScript(
  'budget_take_each',
  `
local waits = {}
local k = 1
local a = 2
for call = 1, tonumber(ARGV[1]) do
  local n = tonumber(ARGV[a])
  a = a + 1
  local wait = 0
  for i = 0, n - 1 do
    local count = tonumber(redis.call('GET', KEYS[k + i]) or '0')
    if count >= tonumber(ARGV[a + 2 * i + 1]) then
      wait = redis.call('PTTL', KEYS[k + i])
      if wait < 1 then wait = tonumber(ARGV[a + 2 * i]) end
      break
    end
  end
  if wait == 0 then
    for i = 0, n - 1 do
      if redis.call('INCR', KEYS[k + i]) == 1 then
        redis.call('PEXPIRE', KEYS[k + i], ARGV[a + 2 * i])
      end
    end
  end
  waits[call] = wait
  k = k + n
  a = a + 2 * n
end
return waits`,
);

/** Connection ids stay out of Redis key names in the clear (counters only, rule of keys.ts). */
function scopeOf(window: RateWindow, connectionId: string): string {
  if (window.per !== 'connection') return 'app';
  return createHash('sha256').update(connectionId).digest('hex').slice(0, 16);
}

function windowKey(prefix: string, provider: string, window: RateWindow, scope: string, n: number) {
  return `${prefix}:budget:${provider}:${String(window.perSeconds)}s:${scope}:${String(n)}`;
}

/**
 * How close to its window's end a take also counts in the next window. We count a call when
 * it is taken, by our clock; the provider counts it when it arrives, by its own. A take in
 * the last moments of a window can land in the next, so it counts in both: then no window of
 * the provider's sees more than its allowance while the lag from take to arrival (with any
 * clock skew) stays under this margin. A fifth of the window, at most 250 ms.
 */
function landingMarginMs(window: RateWindow): number {
  return Math.min(250, (window.perSeconds * 1000) / 5);
}

/** A counter a take counts in, and how long it must live: to its window's end. */
interface Counter {
  readonly key: string;
  readonly ttlMs: number;
}

/** The counters a take at `now` counts in: its window's, and the next's near the end. */
function countersOf(
  prefix: string,
  provider: string,
  window: RateWindow,
  scope: string,
  now: number,
): Counter[] {
  const windowMs = window.perSeconds * 1000;
  const n = Math.floor(now / windowMs);
  // A TTL counted from `now` ends no earlier than the window by our clock: the script runs later.
  const untilEnd = (n + 1) * windowMs - now;
  const counters = [{ key: windowKey(prefix, provider, window, scope, n), ttlMs: untilEnd }];
  if (untilEnd <= landingMarginMs(window)) {
    counters.push({
      key: windowKey(prefix, provider, window, scope, n + 1),
      ttlMs: untilEnd + windowMs,
    });
  }
  return counters;
}

/** A call's counters over all of the provider's windows, each with its allowance for `use`. */
function drawOf(
  prefix: string,
  provider: Limited,
  connectionId: string,
  use: BudgetUse,
  reserve: number,
): (Counter & { readonly allowance: number })[] {
  const now = Date.now();
  return windowsOf(provider).flatMap((window) =>
    countersOf(prefix, provider.id, window, scopeOf(window, connectionId), now).map((counter) => ({
      ...counter,
      allowance: allowance(window, use, reserve),
    })),
  );
}

/** How many calls of a window a use may spend: proxied calls leave the refresh reserve. */
function allowance(window: RateWindow, use: BudgetUse, reserve: number): number {
  switch (use) {
    case 'refresh':
      return window.requests;
    case 'link':
      return Number.MAX_SAFE_INTEGER;
    case 'proxy':
    case 'lookup':
      return Math.max(0, Math.floor(window.requests * (1 - reserve)));
  }
}

/** One call's draw: its counters, and per counter ms to its window's end and its allowance. */
interface Take {
  readonly keys: readonly string[];
  readonly args: readonly number[];
}

/**
 * Takes one call from every window of the provider (app-wide and this connection's), shared
 * by every replica through Redis. Returns 0 when allowed, else how many ms until a window has
 * room again; nothing is counted then. The takes of one tick (a worker's concurrent
 * refreshes) go to Redis together, in one round trip, as if one after the other.
 */
export async function takeBudget(
  redis: RedisClient,
  prefix: string,
  provider: Limited,
  connectionId: string,
  use: BudgetUse,
  reserve: number,
): Promise<number> {
  if (windowsOf(provider).length === 0) return 0;
  const counters = drawOf(prefix, provider, connectionId, use, reserve);
  return takesOn(redis).load({
    keys: counters.map((counter) => counter.key),
    args: counters.flatMap((counter) => [counter.ttlMs, counter.allowance]),
  });
}

const takeLoaders = new WeakMap<RedisClient, DataLoader<Take, number>>();

/** The per-tick batch of takes on one Redis client: one TAKE_EACH call. */
function takesOn(redis: RedisClient): DataLoader<Take, number> {
  let loader = takeLoaders.get(redis);
  if (loader === undefined) {
    loader = new DataLoader(
      async (takes) => {
        const keys = takes.flatMap((take) => take.keys);
        const args = [takes.length, ...takes.flatMap((take) => [take.keys.length, ...take.args])];
        const waits = (await TAKE_EACH(redis, keys, args)) as number[];
        return takes.map((_, i) => Math.max(0, waits[i] ?? 0));
      },
      { cache: false, maxBatchSize: 200, batchScheduleFn: (run) => setImmediate(run) },
    );
    takeLoaders.set(redis, loader);
  }
  return loader;
}

// A provider's 429 hold-back (KEYS[1]), then one call's take over its counters (KEYS[2..]) as
// in TAKE_EACH: a proxied call's whole budget check in one round trip.
const SPEND_PROXY = defineScript(
  'budget_spend_proxy',
  `
local held = redis.call('PTTL', KEYS[1])
if held > 0 then return held end
local n = #KEYS - 1
for i = 1, n do
  local count = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  if count >= tonumber(ARGV[n + i]) then
    local ttl = redis.call('PTTL', KEYS[i + 1])
    if ttl < 1 then ttl = tonumber(ARGV[i]) end
    return ttl
  end
end
for i = 1, n do
  local count = redis.call('INCR', KEYS[i + 1])
  if count == 1 then redis.call('PEXPIRE', KEYS[i + 1], ARGV[i]) end
end
return 0`,
);

/**
 * A proxied call's draw on the provider's budget, in one round trip: 0 when it may go,
 * else ms to wait, for a provider's 429 hold-back or a window without room for proxied
 * calls (the refresh reserve stays). Nothing is counted when it may not go.
 */
export async function spendProxyBudget(
  redis: RedisClient,
  prefix: string,
  provider: Provider,
  connectionId: string,
  reserve: number,
): Promise<number> {
  const counters = drawOf(prefix, provider, connectionId, 'proxy', reserve);
  const keys = [holdKey(prefix, provider, connectionId), ...counters.map((counter) => counter.key)];
  const args = [
    ...counters.map((counter) => counter.ttlMs),
    ...counters.map((counter) => counter.allowance),
  ];
  const wait = Number(await SPEND_PROXY(redis, keys, args));
  return wait > 0 ? wait : 0;
}

/** A window's name in `GET /v1/providers` and the gauge: its length, as in its Redis key. */
export function windowName(window: RateWindow): string {
  return `${String(window.perSeconds)}s`;
}

/** One window as it stands now. */
export interface WindowBudget {
  readonly window: string;
  readonly requests: number;
  readonly perSeconds: number;
  readonly per: 'app' | 'connection';
  /** Calls left in the current window; null for a per-connection window read without one. */
  readonly remaining: number | null;
}

/**
 * What is left of each of a provider's windows: app-wide ones always, per-connection ones for
 * `connectionId` only. One MGET of at most eight counters, whatever the traffic.
 */
export async function readBudget(
  redis: RedisClient,
  prefix: string,
  provider: Limited,
  connectionId?: string,
): Promise<WindowBudget[]> {
  const windows = windowsOf(provider);
  const readable = windows.map(
    (window) => window.per !== 'connection' || connectionId !== undefined,
  );
  const now = Date.now();
  const keys = windows
    .filter((_, i) => readable[i])
    .map((window) =>
      windowKey(
        prefix,
        provider.id,
        window,
        scopeOf(window, connectionId ?? ''),
        Math.floor(now / (window.perSeconds * 1000)),
      ),
    );
  const counts = keys.length === 0 ? [] : await redis.mget(...keys);
  let read = 0;
  return windows.map((window, i) => {
    const used = readable[i] ? Number(counts[read++] ?? 0) : undefined;
    return {
      window: windowName(window),
      requests: window.requests,
      perSeconds: window.perSeconds,
      per: window.per ?? 'app',
      remaining: used === undefined ? null : Math.max(0, window.requests - used),
    };
  });
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

/** Each provider's windows as they stand (app-wide ones with what is left), for views. */
export interface ProviderBudget {
  readonly provider: string;
  readonly windows: readonly WindowBudget[];
}

/**
 * Every provider's budget, read together: one MGET per provider that has windows, so the
 * cost grows with the catalog, never with traffic (what a scrape or a page may spend).
 */
export async function providerBudgets(
  ctx: Pick<LifecycleContext, 'redis' | 'config' | 'providers'>,
): Promise<ProviderBudget[]> {
  return Promise.all(
    ctx.providers.list().map(async (provider) => ({
      provider: provider.id,
      windows: await readBudget(ctx.redis, ctx.config.queuePrefix, provider),
    })),
  );
}

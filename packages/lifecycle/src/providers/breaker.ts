import type { RefusalClass } from '@tokenlane/core';
import { appendEvent } from '@tokenlane/db';
import { defineScript } from '@tokenlane/queue';
import type { LifecycleContext } from '../context.js';
import { providerKeys } from './keys.js';

/**
 * The provider-wide brake (docs/api.md, "Failure policy"). One breaker per provider in Redis,
 * shared by every worker replica. It opens when the provider refuses our client credentials
 * (`credentials`), or when most calls in a minute fail `transient`ly. While it is open, the
 * provider's refreshes wait without spending an attempt and one probe goes out at growing
 * intervals (TOKENLANE_PROVIDER_PROBE_SECONDS, default 1 min, doubling up to 1 h after a
 * credentials refusal, which needs an operator, and up to 2 min while the provider fails,
 * which ends on its own); any answer that is neither closes it. Timings: `ctx.policy`.
 */

/** What the breaker says about one refresh about to call the provider. */
export type BreakerGate =
  | { readonly state: 'closed' }
  /** Open, and this refresh is the one probe: call the provider. */
  | { readonly state: 'probe' }
  /** Open: wait `waitMs` (until the next probe), spending no attempt. */
  | { readonly state: 'open'; readonly waitMs: number; readonly code: string };

// 0: closed; 1: this caller probes; 2: open, with the ms to wait and the code. While a probe
// is out, the others wait for it (at most ARGV[3] ms at a time, so a success is seen soon).
const GATE = defineScript(
  'breaker_gate',
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0, ''} end
local now = tonumber(ARGV[1])
local probeAt = tonumber(redis.call('HGET', KEYS[1], 'probeAt'))
local code = redis.call('HGET', KEYS[1], 'code')
if now < probeAt then return {2, probeAt - now, code} end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {1, 0, code} end
return {2, math.min(math.max(redis.call('PTTL', KEYS[2]), 1), tonumber(ARGV[3])), code}`,
);

/** The longest a refresh waits on a probe in flight before it asks again. */
const PROBE_WAIT_MS = 5_000;

// Records one call's outcome; returns 'opened' or 'closed' to the one caller that moved it.
const RECORD = defineScript(
  'breaker_record',
  `
local now = tonumber(ARGV[1])
local outcome = ARGV[2]
local open = redis.call('EXISTS', KEYS[1]) == 1
local windowTtl = tonumber(ARGV[4]) * 2
if outcome == 'ok' then
  redis.call('HINCRBY', KEYS[3], 'ok', 1)
  redis.call('PEXPIRE', KEYS[3], windowTtl)
  if open then
    redis.call('DEL', KEYS[1], KEYS[2])
    return 'closed'
  end
  return 'none'
end
local trip = outcome == 'credentials'
if outcome == 'transient' then
  local fail = redis.call('HINCRBY', KEYS[3], 'fail', 1)
  redis.call('PEXPIRE', KEYS[3], windowTtl)
  local ok = tonumber(redis.call('HGET', KEYS[3], 'ok') or '0')
  trip = fail + ok >= tonumber(ARGV[5]) and fail >= tonumber(ARGV[6]) * (fail + ok)
end
if open then
  if ARGV[9] == '1' then
    local interval = math.min(tonumber(redis.call('HGET', KEYS[1], 'intervalMs')) * 2, tonumber(ARGV[8]))
    redis.call('HSET', KEYS[1], 'intervalMs', interval, 'probeAt', now + interval, 'code', ARGV[3])
    redis.call('DEL', KEYS[2])
  end
  return 'open'
end
if not trip then return 'none' end
local first = tonumber(ARGV[7])
redis.call('HSET', KEYS[1], 'code', ARGV[3], 'openedAt', now, 'intervalMs', first, 'probeAt', now + first)
return 'opened'`,
);

/**
 * Per process: until when each provider's breaker was last seen closed, and successes not yet
 * counted in Redis. The hot path (a healthy provider) then costs no Redis round trip: a
 * breaker opened by another replica is seen within {@link CLOSED_CACHE_MS}, and successes
 * reach the health window once a second.
 */
interface LocalState {
  readonly closedUntil: Map<string, number>;
  readonly okPending: Map<string, number>;
  flush: NodeJS.Timeout | undefined;
}
const CLOSED_CACHE_MS = 1_000;
const states = new WeakMap<LifecycleContext['redis'], LocalState>();

function localState(ctx: Pick<LifecycleContext, 'redis'>): LocalState {
  let state = states.get(ctx.redis);
  if (state === undefined) {
    state = { closedUntil: new Map(), okPending: new Map(), flush: undefined };
    states.set(ctx.redis, state);
  }
  return state;
}

/** The wait before a newly paused provider's first probe. */
export function firstProbeMs(ctx: Pick<LifecycleContext, 'policy'>): number {
  return ctx.policy.probeFirstMs;
}

function keys(ctx: Pick<LifecycleContext, 'config'>, provider: string) {
  const prefix = ctx.config.queuePrefix;
  return {
    breaker: providerKeys.breaker(prefix, provider),
    probe: providerKeys.probe(prefix, provider),
  };
}

/** Asks the provider's breaker whether a refresh may call it now. */
export async function passBreaker(
  ctx: Pick<LifecycleContext, 'redis' | 'config' | 'policy'>,
  provider: string,
): Promise<BreakerGate> {
  const local = localState(ctx);
  if ((local.closedUntil.get(provider) ?? 0) > Date.now()) return { state: 'closed' };
  const { breaker, probe } = keys(ctx, provider);
  const [state, waitMs, code] = (await GATE(
    ctx.redis,
    [breaker, probe],
    [Date.now(), ctx.policy.probeLockMs, Math.min(PROBE_WAIT_MS, ctx.policy.probeLockMs)],
  )) as [number, number, string];
  if (state === 0) {
    local.closedUntil.set(provider, Date.now() + CLOSED_CACHE_MS);
    return { state: 'closed' };
  }
  if (state === 1) return { state: 'probe' };
  return { state: 'open', waitMs, code };
}

/** The breaker as it is, without taking the probe: for callers that only read (token API). */
export async function breakerState(
  ctx: Pick<LifecycleContext, 'redis' | 'config'>,
  provider: string,
): Promise<{ state: 'closed' } | { state: 'open'; waitMs: number; code: string }> {
  if ((localState(ctx).closedUntil.get(provider) ?? 0) > Date.now()) return { state: 'closed' };
  const [probeAt, code] = await ctx.redis.hmget(keys(ctx, provider).breaker, 'probeAt', 'code');
  if (probeAt === null) return { state: 'closed' };
  return {
    state: 'open',
    waitMs: Math.max(1_000, Number(probeAt) - Date.now()),
    code: code ?? 'none',
  };
}

/**
 * Records how the provider answered one refresh: `ok` for any answer that is neither a
 * credentials refusal nor transient (an `invalid_grant` still proves the provider knows us).
 * Writes `provider.unhealthy` / `provider.recovered` (provider-level, `connectionId` null) and
 * one log line when this call moved the breaker.
 */
export async function recordProviderAnswer(
  ctx: Pick<LifecycleContext, 'db' | 'redis' | 'logger' | 'config' | 'policy'>,
  provider: string,
  answer: { readonly refusal?: RefusalClass; readonly code?: string; readonly probe: boolean },
): Promise<void> {
  const outcome =
    answer.refusal === 'credentials' || answer.refusal === 'transient' ? answer.refusal : 'ok';
  const local = localState(ctx);
  if (outcome === 'ok' && !answer.probe) {
    countLater(ctx, local, provider);
    return;
  }
  if (outcome !== 'ok') local.closedUntil.delete(provider);
  const now = Date.now();
  const { breaker, probe } = keys(ctx, provider);
  const window = providerKeys.healthWindow(
    ctx.config.queuePrefix,
    provider,
    Math.floor(now / ctx.policy.breakerWindowMs),
  );
  const moved = (await RECORD(
    ctx.redis,
    [breaker, probe, window],
    [
      now,
      outcome,
      answer.code ?? 'none',
      ctx.policy.breakerWindowMs,
      ctx.policy.breakerMinCalls,
      ctx.policy.breakerFailRatio,
      firstProbeMs(ctx),
      outcome === 'credentials' ? ctx.policy.probeMaxCredentialsMs : ctx.policy.probeMaxTransientMs,
      answer.probe ? '1' : '0',
    ],
  )) as string;
  if (moved === 'opened') {
    ctx.logger.warn(
      { provider, code: answer.code, nextProbeInMs: firstProbeMs(ctx) },
      outcome === 'credentials'
        ? `provider ${provider} refused our client credentials (${answer.code}): its refreshes are paused until a probe succeeds; check clientId/clientSecret in the providers file`
        : `provider ${provider} is failing most calls (${answer.code}): its refreshes are paused until a probe succeeds`,
    );
    await appendEvent(ctx.db, {
      type: 'provider.unhealthy',
      provider,
      data: { connectionId: null, provider, code: answer.code ?? 'none' },
    });
  } else if (moved === 'closed') {
    ctx.logger.info({ provider }, `provider ${provider} answered a probe: its refreshes resume`);
    await appendEvent(ctx.db, {
      type: 'provider.recovered',
      provider,
      data: { connectionId: null, provider },
    });
  }
}

/** Frees the probe of an open breaker that was not sent after all (rate limited). */
export async function releaseProbe(
  ctx: Pick<LifecycleContext, 'redis' | 'config'>,
  provider: string,
): Promise<void> {
  await ctx.redis.del(keys(ctx, provider).probe);
}

/** Counts a success in the health window with the others of the next second. */
function countLater(
  ctx: Pick<LifecycleContext, 'redis' | 'config' | 'policy'>,
  local: LocalState,
  provider: string,
): void {
  local.okPending.set(provider, (local.okPending.get(provider) ?? 0) + 1);
  if (local.flush !== undefined) return;
  local.flush = setTimeout(() => {
    local.flush = undefined;
    const pending = [...local.okPending];
    local.okPending.clear();
    const window = Math.floor(Date.now() / ctx.policy.breakerWindowMs);
    const multi = ctx.redis.multi();
    for (const [id, count] of pending) {
      const key = providerKeys.healthWindow(ctx.config.queuePrefix, id, window);
      multi.hincrby(key, 'ok', count).pexpire(key, ctx.policy.breakerWindowMs * 2);
    }
    // Best effort: a lost count only makes the ratio a little more cautious.
    multi.exec().catch(() => undefined);
  }, 1_000);
  local.flush.unref();
}

/** Each configured provider and whether its breaker is closed (the health gauge, the console). */
export async function providerHealth(
  ctx: Pick<LifecycleContext, 'providers' | 'redis' | 'config'>,
): Promise<{ provider: string; healthy: boolean }[]> {
  const ids = ctx.providers.list().map((provider) => provider.id);
  const flags = await Promise.all(
    ids.map((id) => ctx.redis.exists(providerKeys.breaker(ctx.config.queuePrefix, id))),
  );
  return ids.map((provider, i) => ({ provider, healthy: flags[i] === 0 }));
}

import { REFRESHABLE_STATUSES, refreshDueAt, type ConnectionId } from '@tokenlane/core';
import { startOneOffRefresh, type RefreshCandidate } from '@tokenlane/db';
import { observeRefresh } from '@tokenlane/metrics';
import { isRetired, ProviderError, refreshTokens, type OAuth2Provider } from '@tokenlane/providers';
import pRetry from 'p-retry';
import type { LifecycleContext } from '../context.js';
import { passBreaker, recordProviderAnswer, releaseProbe } from '../providers/breaker.js';
import { takeBudget } from '../providers/budget.js';
import { openRefreshToken, sealTokenSet } from '../sealing.js';
import { connectionBatches } from './batching.js';
import { LeaseRun } from './lease-run.js';
import { handleRefusal } from './refresh-failure.js';
import { requireReauth } from './relink.js';
import { retireConnection } from './retire.js';

import type { RefreshOutcome, RefreshTrigger } from './outcomes.js';

export type { RefreshOutcome, RefreshTrigger };

export interface RefreshOptions {
  /** Default `schedule`: only a due connection is refreshed; any other trigger forces it. */
  readonly trigger?: RefreshTrigger;
  /**
   * A scheduled refresh may run this much before its due time: a batch starts at its first
   * row's due time and runs the rows due within its window with it.
   */
  readonly earlyMs?: number;
  /**
   * Whether the caller still holds the connection's refresh lease, asked just before the
   * provider call: a run that lost it (a lapse) leaves the row to its new holder.
   */
  readonly holds?: () => boolean;
  /** Only refresh if the stored tokens are still at this version. */
  readonly expectedVersion?: number;
  /**
   * An earlier run of this refresh was cut off mid-flight (its worker died holding the lease):
   * a refusal now most likely means the provider rotated the token on that run and its
   * answer was lost, reported as `refresh_interrupted` rather than `invalid_grant` (as after
   * an attempt that timed out waiting for the answer).
   */
  readonly interrupted?: boolean;
}

/** What a refresh uses of the lifecycle context. */
export type RefreshDeps = Pick<
  LifecycleContext,
  'db' | 'keyRing' | 'providers' | 'redis' | 'metrics' | 'logger' | 'config' | 'policy'
>;

/**
 * Refreshes one connection as its own job does (a caller's refresh, or one the budget deferred):
 * takes the connection's refresh lease, refreshes, and gives the lease up (held back for the
 * job's next run when deferred). A run holding the lease already wins: this returns
 * `in_flight`, and the caller sees that run's tokens.
 */
export async function refreshConnection(
  ctx: RefreshDeps,
  id: ConnectionId,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  const run = new LeaseRun(ctx);
  const sentAt = Date.now();
  const leased = await startOneOffRefresh(ctx.db, {
    id,
    run: run.id,
    leaseMs: ctx.config.refreshLeaseMs,
  });
  if (leased === undefined) return { status: 'skipped', reason: 'not_found' };
  if (leased === 'in_flight') return { status: 'skipped', reason: 'in_flight' };
  run.hold([id], sentAt);
  let outcome: RefreshOutcome;
  try {
    outcome = await refreshLeased(ctx, leased, {
      ...options,
      interrupted: options.interrupted === true || leased.interrupted,
      holds: () => run.holds(id),
    });
  } catch (error) {
    // A failure of our own keeps the lease started until it lapses: the provider may have
    // answered, so whoever takes it next refreshes as interrupted.
    run.abandon();
    throw error;
  }
  await run.release([{ id, outcome }]);
  return outcome;
}

/**
 * Refreshes one connection whose refresh lease the caller holds: passes the provider's breaker
 * and rate limit, calls the token endpoint, and writes the new tokens with compare-and-set on
 * `token_version` together with `connection.refreshed` (batched). A refusal goes to
 * {@link handleRefusal}, where its class decides what follows (docs/api.md, "Failure
 * policy"). Only a failure of our own (database, a bug) is thrown, for the job to retry.
 * @see RFC 6749 §6
 */
export async function refreshLeased(
  ctx: RefreshDeps,
  connection: RefreshCandidate,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  const now = new Date();
  const trigger = options.trigger ?? 'schedule';
  if (
    options.expectedVersion !== undefined &&
    connection.tokenVersion !== options.expectedVersion
  ) {
    return { status: 'lost_race' };
  }
  const provider = ctx.providers.require(connection.provider);
  if (!refreshable(connection) || provider.kind !== 'oauth2') {
    return { status: 'skipped', reason: 'not_refreshable' };
  }
  // Past its sunset the provider no longer answers: no call, straight to its successor.
  if (isRetired(provider, now)) {
    return retireConnection(ctx, connection, provider, connection.tokenVersion);
  }
  // A refresh token past its own lifetime would only be refused: no call.
  if (connection.refreshTokenExpiresAt !== null && connection.refreshTokenExpiresAt <= now) {
    return requireReauth(ctx, connection, 'refresh_token_expired', connection.tokenVersion);
  }
  if (!isDue(connection, now.getTime() + (options.earlyMs ?? 0))) {
    if (trigger === 'schedule') return { status: 'skipped', reason: 'not_due' };
    // A connection backing off from failures is not retried sooner by a caller: only an
    // operator may cut its backoff short.
    if (connection.failingSince !== null && trigger !== 'operator') {
      return { status: 'skipped', reason: 'backing_off' };
    }
  }
  const gate = await passBreaker(ctx, provider.id);
  if (gate.state === 'open') {
    return { status: 'deferred', reason: 'provider_unhealthy', retryInMs: gate.waitMs };
  }
  const probe = gate.state === 'probe';
  {
    // The provider's one budget: refreshes share its windows with proxied calls, and may
    // spend the reserve those cannot.
    const wait = await takeBudget(
      ctx.redis,
      ctx.config.queuePrefix,
      provider,
      connection.id,
      'refresh',
      ctx.config.refreshReserve,
    );
    if (wait > 0) {
      if (probe) await releaseProbe(ctx, provider.id);
      return { status: 'deferred', reason: 'rate_limited', retryInMs: wait };
    }
  }
  if (options.holds?.() === false) {
    if (probe) await releaseProbe(ctx, provider.id);
    return { status: 'skipped', reason: 'lease_lost' };
  }
  return callProvider(ctx, connection, provider, {
    probe,
    interrupted: options.interrupted === true,
    trigger,
  });
}

async function callProvider(
  ctx: Pick<
    LifecycleContext,
    'db' | 'keyRing' | 'redis' | 'metrics' | 'logger' | 'config' | 'policy'
  >,
  connection: RefreshCandidate,
  provider: OAuth2Provider,
  context: { probe: boolean; interrupted: boolean; trigger: RefreshTrigger },
): Promise<RefreshOutcome> {
  // Only the refresh token: each decryption is an AES-GCM pass on the hot path.
  const refreshToken = openRefreshToken(ctx.keyRing, connection);
  if (refreshToken === undefined) return { status: 'skipped', reason: 'not_refreshable' };
  const observed = observeRefresh(ctx.metrics, provider.id, connection.expiresAt);
  const started = performance.now();
  // Who asked and how long the provider took ride in the attempt's event, for the console's
  // timeline (metrics have only aggregates).
  const attemptOf = () => ({
    trigger: context.trigger,
    durationMs: Math.round(performance.now() - started),
  });
  let tokens;
  try {
    tokens = await refreshTokens(provider, { refreshToken });
  } catch (error) {
    if (!(error instanceof ProviderError)) {
      observed.failed('internal');
      throw error;
    }
    // Backoff and Retry-After count from the answer, not from the start of a slow call.
    const refused = { ...context, now: new Date(), attempt: attemptOf() };
    return observed.done(await handleRefusal(ctx, connection, provider, error, refused));
  }
  const attempt = attemptOf();
  // The token's lifetime runs from the answer.
  const answeredAt = new Date();
  // Without a new refresh token, the old one and its own expiry stay (Google's Testing apps).
  const kept = tokens.refreshToken === refreshToken && tokens.refreshTokenExpiresAt === undefined;
  const request = {
    connection,
    attempt,
    tokens: {
      ...sealTokenSet(ctx.keyRing, connection.id, tokens),
      ...(kept ? { refreshTokenExpiresAt: connection.refreshTokenExpiresAt } : {}),
      refreshDueAt: refreshDueAt(answeredAt, tokens.expiresAt),
      refreshedAt: answeredAt,
    },
  };
  // The provider may have rotated the refresh token: the new one exists only in memory now.
  // Ride out a database blip here (a restart takes seconds) rather than lose it to a retry
  // that would replay the spent token. The first attempt goes without p-retry's machinery,
  // which cost 3 % of a refresh's CPU (bench/, section 1).
  const store = () => connectionBatches(ctx.db).storeRefresh(request);
  const written = await store().catch(() => pRetry(store, STORE_RETRY));
  // Only once the new tokens are safe: a probe's success closes the provider's breaker.
  await recordProviderAnswer(ctx, provider.id, { probe: context.probe });
  return observed.done(
    written === undefined
      ? { status: 'lost_race' }
      : { status: 'refreshed', tokenVersion: written.tokenVersion },
  );
}

/**
 * After a first failed attempt, about 30 s of attempts with backoff: long enough for a
 * database restart or failover.
 */
const STORE_RETRY = { retries: 8, minTimeout: 250, maxTimeout: 5_000, factor: 2 } as const;

function refreshable(connection: RefreshCandidate): boolean {
  return (
    connection.refreshTokenEnc !== null &&
    (REFRESHABLE_STATUSES as readonly string[]).includes(connection.status)
  );
}

function isDue(connection: RefreshCandidate, byMs: number): boolean {
  return connection.refreshDueAt !== null && connection.refreshDueAt.getTime() <= byMs;
}

import { isRefreshable, type ReauthReason } from '@tokenlane/core';
import {
  appendConnectionEvent,
  findConnectionForUpdate,
  transitionConnection,
  updateConnection,
  type RefreshCandidate,
} from '@tokenlane/db';
import {
  refusalClass,
  type OAuth2Provider,
  type ProviderError,
  type ProviderErrorCode,
} from '@tokenlane/providers';
import type { RefreshAttempt } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { firstProbeMs, recordProviderAnswer } from '../providers/breaker.js';
import type { RefreshOutcome } from './outcomes.js';
import { refreshBackoffMs } from '../refresh-backoff.js';
import { requireReauth } from './relink.js';
import { retireConnection } from './retire.js';

/** The reason of a refusal that follows an interrupted refresh (see RefreshOptions). */
export const INTERRUPTED_REFRESH_CODE = 'refresh_interrupted' satisfies ReauthReason;

/**
 * What a provider's refusal of a refresh leads to, decided by its class alone
 * (docs/api.md, "Failure policy"):
 * - `reauth`: `reauth_required` (`invalid_grant`, or `refresh_interrupted` after a lost answer);
 * - `retired`: `reauth_required` (`provider_retired`) at once, naming the successor if any;
 * - `credentials`: the provider's breaker opens; the connection only notes the code (a second
 *   such refusal outside a probe is the connection's own, and counts as `refused`);
 * - `transient` / `refused`: the failure and the next attempt are written on the row.
 */
export async function handleRefusal(
  ctx: Pick<LifecycleContext, 'db' | 'redis' | 'metrics' | 'logger' | 'config' | 'policy'>,
  connection: RefreshCandidate,
  provider: OAuth2Provider,
  error: ProviderError,
  context: { now: Date; probe: boolean; interrupted: boolean; attempt: RefreshAttempt },
): Promise<RefreshOutcome> {
  const refusal = ownRefusal(connection, error, context.probe)
    ? 'refused'
    : refusalClass(error.code);
  await recordProviderAnswer(ctx, provider.id, { refusal, code: error.code, probe: context.probe });
  switch (refusal) {
    case 'reauth': {
      // The last attempt was cut off (worker died) or sent and never answered (`timeout`):
      // the provider most likely rotated the token then, and the answer is lost.
      const interrupted = context.interrupted || connection.lastErrorCode === 'timeout';
      const code = interrupted ? INTERRUPTED_REFRESH_CODE : 'invalid_grant';
      return requireReauth(ctx, connection, code, connection.tokenVersion);
    }
    case 'retired':
      return retireConnection(ctx, connection, provider, connection.tokenVersion);
    case 'credentials':
      await noteRefusal(ctx, connection, error, context.now);
      return { status: 'deferred', reason: 'provider_unhealthy', retryInMs: firstProbeMs(ctx) };
    case 'transient':
    case 'refused':
      return recordFailure(ctx, connection, error, refusal, context);
  }
}

/**
 * A refusal of our credentials that is really about this connection's grant (one issued to
 * another client, say): the same connection was refused so before, and this call is not a
 * probe, so the breaker it opened then has closed since, which takes another connection's
 * success. Treated as `refused` (backoff on the row, and the give-up), it no longer pauses the
 * whole provider each time the breaker closes.
 */
function ownRefusal(connection: RefreshCandidate, error: ProviderError, probe: boolean): boolean {
  const before = connection.lastErrorCode as ProviderErrorCode | null;
  return (
    !probe &&
    refusalClass(error.code) === 'credentials' &&
    before !== null &&
    refusalClass(before) === 'credentials'
  );
}

/**
 * Notes a credentials refusal on the row (`lastErrorCode`, `lastErrorAt`) and nothing else:
 * the connection is not at fault unless it is refused so again (see `ownRefusal`).
 */
async function noteRefusal(
  ctx: Pick<LifecycleContext, 'db'>,
  connection: RefreshCandidate,
  error: ProviderError,
  now: Date,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const current = await findConnectionForUpdate(trx, connection.id);
    if (current?.tokenVersion !== connection.tokenVersion || !isRefreshable(current.status)) return;
    await updateConnection(trx, connection.id, { lastErrorCode: error.code, lastErrorAt: now });
  });
}

/**
 * Writes a failed refresh on the row: the count, the code, when the run of failures began,
 * and when to try next (the backoff, persisted as `refresh_due_at`). Once the access token
 * has expired the connection is `degraded`. A `refused` run longer than
 * TOKENLANE_REFRESH_GIVE_UP_HOURS ends in `reauth_required` (`refresh_exhausted`).
 */
async function recordFailure(
  ctx: Pick<LifecycleContext, 'db' | 'config' | 'policy'>,
  connection: RefreshCandidate,
  error: ProviderError,
  refusal: 'transient' | 'refused',
  { now, attempt: call }: { now: Date; attempt: RefreshAttempt },
): Promise<RefreshOutcome> {
  const failingSince = connection.failingSince ?? now;
  const giveUpMs = ctx.config.refreshGiveUpHours * 3_600_000;
  if (refusal === 'refused' && now.getTime() - failingSince.getTime() >= giveUpMs) {
    return requireReauth(ctx, connection, 'refresh_exhausted', connection.tokenVersion, {
      lastErrorCode: error.code,
    });
  }
  const attempt = connection.refreshAttempts + 1;
  const nextAttemptAt = new Date(
    now.getTime() + refreshBackoffMs(ctx.policy, attempt, error.retryAfterMs),
  );
  const written = await ctx.db.transaction().execute(async (trx) => {
    const current = await findConnectionForUpdate(trx, connection.id);
    // Refreshed, revoked or re-linked meanwhile: this failure is about tokens that are gone.
    if (current === undefined || current.tokenVersion !== connection.tokenVersion) return false;
    if (!isRefreshable(current.status)) return false;
    const patch = {
      refreshAttempts: attempt,
      lastErrorCode: error.code,
      lastErrorAt: now,
      failingSince,
      refreshDueAt: nextAttemptAt,
    };
    const expired = current.expiresAt !== null && current.expiresAt.getTime() <= now.getTime();
    if (expired && current.status === 'active') {
      await transitionConnection(trx, connection.id, 'degraded', patch, {
        type: 'connection.degraded',
        data: { code: error.code },
      });
    } else {
      await updateConnection(trx, connection.id, patch);
    }
    await appendConnectionEvent(trx, connection, {
      type: 'connection.refresh_failed',
      data: {
        code: error.code,
        retryable: error.retryable,
        attempt,
        nextAttemptAt: nextAttemptAt.toISOString(),
        trigger: call.trigger,
        durationMs: call.durationMs,
      },
    });
    return true;
  });
  if (!written) return { status: 'lost_race' };
  return {
    status: 'failed',
    code: error.code,
    refusal,
    nextAttemptAt: nextAttemptAt.toISOString(),
  };
}

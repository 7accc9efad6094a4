import { refreshDueAt, type ConnectionId } from '@tokenlane/core';
import {
  appendEvent,
  transitionConnection,
  updateConnection,
  type Connection,
} from '@tokenlane/db';
import { observeRefresh } from '@tokenlane/metrics';
import { ProviderError, refreshTokens } from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import pRetry from 'p-retry';
import { openToken, sealTokenSet } from '../sealing.js';
import { connectionBatches } from './batching.js';
import { requireReauth } from './relink.js';

/** What one refresh attempt did (ids and codes only: it is a job's return value). */
export type RefreshOutcome =
  | { readonly status: 'refreshed'; readonly tokenVersion: number }
  | { readonly status: 'skipped'; readonly reason: 'not_found' | 'not_refreshable' | 'not_due' }
  /** Someone else rotated the tokens first (DESIGN rule 4): nothing to do. */
  | { readonly status: 'lost_race' }
  | { readonly status: 'reauth_required'; readonly code: string };

export interface RefreshOptions {
  /** Refresh even if not due yet (token API, 401 path, operator). */
  readonly force?: boolean;
  /** Only refresh if the stored tokens are still at this version. */
  readonly expectedVersion?: number;
  readonly now?: Date;
  /** The row as the caller just read it (the worker reads it for the rate limit). */
  readonly connection?: Connection;
  /**
   * An earlier run of this refresh was cut off mid-flight (its worker died holding the job):
   * a refusal now most likely means the provider rotated the token on that run and its
   * answer was lost, reported as `refresh_interrupted` rather than `invalid_grant` (as after
   * an attempt that timed out waiting for the answer).
   */
  readonly interrupted?: boolean;
}

/** The reason of a refusal that follows an interrupted refresh (see RefreshOptions). */
export const INTERRUPTED_REFRESH_CODE = 'refresh_interrupted';

/**
 * Refreshes one connection's tokens and writes them with compare-and-set on `token_version`,
 * reschedules the next refresh and writes `connection.refreshed`. `invalid_grant` is a lost
 * race when the version moved meanwhile, else `reauth_required`. Transient failures are
 * recorded on the row (and `degraded` once the access token has expired), then rethrown for
 * the job's backoff.
 * @see RFC 6749 §6
 */
export async function refreshConnection(
  ctx: LifecycleContext,
  id: ConnectionId,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  const now = options.now ?? new Date();
  const batches = connectionBatches(ctx.db);
  const connection = options.connection ?? (await batches.read(id));
  if (connection === undefined) return { status: 'skipped', reason: 'not_found' };
  if (
    options.expectedVersion !== undefined &&
    connection.tokenVersion !== options.expectedVersion
  ) {
    return { status: 'lost_race' };
  }
  const provider = ctx.providers.require(connection.provider);
  // Only the refresh token: each decryption is an AES-GCM pass on the hot path.
  const refreshToken = openToken(ctx.keyRing, connection, 'refresh_token');
  if (
    provider.kind !== 'oauth2' ||
    refreshToken === undefined ||
    !['active', 'degraded'].includes(connection.status)
  ) {
    return { status: 'skipped', reason: 'not_refreshable' };
  }
  if (options.force !== true && !isDue(connection, now)) {
    return { status: 'skipped', reason: 'not_due' };
  }
  const observed = observeRefresh(ctx.metrics, provider.id, connection.expiresAt);
  try {
    const tokens = await refreshTokens(provider, { refreshToken });
    const request = {
      connection,
      tokens: {
        ...sealTokenSet(ctx.keyRing, connection.id, tokens),
        refreshDueAt: refreshDueAt(now, tokens.expiresAt),
        refreshedAt: now,
      },
    };
    // The provider may have rotated the refresh token: the new one exists only in memory now.
    // Ride out a database blip here (a restart takes seconds) rather than lose it to a retry
    // that would replay the spent token.
    const written = await pRetry(() => batches.storeRefresh(request), STORE_RETRY);
    return observed.done(
      written === undefined
        ? { status: 'lost_race' }
        : { status: 'refreshed', tokenVersion: written.tokenVersion },
    );
  } catch (error) {
    if (!(error instanceof ProviderError)) {
      observed.failed('internal');
      throw error;
    }
    if (error.code === 'invalid_grant') {
      // The last attempt was cut off (worker died) or sent and never answered (`timeout`):
      // the provider most likely rotated the token then, and the answer is lost.
      const interrupted = options.interrupted === true || connection.lastErrorCode === 'timeout';
      const code = interrupted ? INTERRUPTED_REFRESH_CODE : error.code;
      return observed.done(await requireReauth(ctx, connection, code, connection.tokenVersion));
    }
    observed.failed(error.code);
    await recordFailure(ctx, connection, error, now);
    throw error;
  }
}

/** About 30 s of attempts with backoff: long enough for a database restart or failover. */
const STORE_RETRY = { retries: 8, minTimeout: 250, maxTimeout: 5_000, factor: 2 } as const;

function isDue(connection: Connection, now: Date): boolean {
  return connection.refreshDueAt !== null && connection.refreshDueAt.getTime() <= now.getTime();
}

/** Records a transient failure; once the access token has expired the connection is degraded. */
async function recordFailure(
  ctx: LifecycleContext,
  connection: Connection,
  error: ProviderError,
  now: Date,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const patch = {
      refreshAttempts: connection.refreshAttempts + 1,
      lastErrorCode: error.code,
      lastErrorAt: now,
    };
    const expired =
      connection.expiresAt !== null && connection.expiresAt.getTime() <= now.getTime();
    if (expired && connection.status === 'active') {
      await transitionConnection(trx, connection.id, 'degraded', patch, {
        type: 'connection.degraded',
        data: { code: error.code },
      });
    } else {
      await updateConnection(trx, connection.id, patch);
    }
    await appendEvent(trx, {
      type: 'connection.refresh_failed',
      connectionId: connection.id,
      userId: connection.userId,
      provider: connection.provider,
      data: {
        connectionId: connection.id,
        userId: connection.userId,
        provider: connection.provider,
        code: error.code,
        retryable: error.retryable,
        attempt: connection.refreshAttempts + 1,
      },
    });
  });
}

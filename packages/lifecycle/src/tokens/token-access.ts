import { isRefreshable } from '@tokenlane/core';
import type { Connection } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { LifecycleError } from '../errors.js';
import { openTokens } from '../sealing.js';
import { startRelink } from './relink.js';
import { refreshAndWait } from './request-refresh.js';
import { refreshWait, type RefreshWait } from './refresh-wait.js';
import type { UsableToken } from './usable-token.js';

export type { UsableToken } from './usable-token.js';

export interface TokenAccessOptions {
  /** Seconds the token must stay valid; refreshed first when it would expire sooner. */
  readonly minValiditySeconds: number;
  /** How long to wait for the refresh before giving up with `refresh_pending`. */
  readonly waitMs: number;
  /**
   * The caller may start a re-link (`connections:write`). A link URL is a capability that
   * attaches whatever account opens it, so a key that may only read tokens gets the
   * `reauth_required` answer without one, and no link is made.
   */
  readonly mayRelink: boolean;
}

/**
 * The token API's core: the stored token when it is valid long enough, else the result of
 * the connection's single refresh job, joined and awaited. A connection needing re-auth is
 * `reauth_required` (the caller offers a fresh link); a refresh still running when the wait
 * ends is `refresh_pending`.
 */
export async function getUsableToken(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'queues' | 'redis' | 'config'>,
  stored: Connection,
  options: TokenAccessOptions,
): Promise<UsableToken> {
  let connection = stored;
  if (!validFor(connection, options.minValiditySeconds)) {
    const wait = await refreshWait(ctx, connection);
    if (wait !== undefined) {
      // No refresh may run now: a token still valid is the best answer there is.
      if (validFor(connection, 0)) return usable(ctx, connection);
      throw waitError(connection, wait);
    }
    connection = (await refreshAndWait(ctx, stored, options.waitMs)) ?? connection;
  }
  await checkUsable(ctx, connection, options.mayRelink);
  // A token the refresh just issued is served even when the provider's lifetimes are shorter
  // than minValidity; only a token that did not change (or expired) is not.
  const fresh = connection.tokenVersion !== stored.tokenVersion && validFor(connection, 0);
  if (!fresh && !validFor(connection, options.minValiditySeconds)) {
    throw new LifecycleError('refresh_pending', 'the token is being refreshed; retry shortly');
  }
  return usable(ctx, connection);
}

/**
 * Whether the token stays valid for `seconds` more. The margin is capped at half the token's
 * lifetime, so a provider issuing 20-second tokens does not make every call a refresh.
 */
function validFor(connection: Connection, seconds: number): boolean {
  if (!isRefreshable(connection.status)) return true;
  if (connection.expiresAt === null) return true;
  const expiresAt = connection.expiresAt.getTime();
  const issuedAt = (connection.lastRefreshedAt ?? connection.createdAt).getTime();
  const margin = Math.max(0, Math.min(seconds * 1000, (expiresAt - issuedAt) / 2));
  return expiresAt - Date.now() > margin;
}

/** The token API's answer while no refresh may run: when to come back, and why. */
function waitError(connection: Connection, wait: RefreshWait): LifecycleError {
  const retryAfterSeconds = wait.waitMs / 1000;
  return wait.reason === 'provider_unhealthy'
    ? new LifecycleError(
        'provider_unhealthy',
        `refreshes at ${connection.provider} are paused: its token endpoint keeps failing (${wait.code})`,
        { retryAfterSeconds },
      )
    : new LifecycleError(
        'refresh_backoff',
        `the last refreshes failed (${wait.code}); the next is not due yet`,
        { retryAfterSeconds },
      );
}

async function checkUsable(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'config'>,
  connection: Connection,
  mayRelink: boolean,
): Promise<void> {
  switch (connection.status) {
    case 'active':
    case 'degraded':
      return;
    case 'reauth_required': {
      if (!mayRelink) {
        throw new LifecycleError(
          'reauth_required',
          'the user must re-authorize this connection; this API key lacks connections:write, so no re-link URL was made (ask with a key that has it: POST /v1/connections/:id/relink)',
        );
      }
      // The link to re-authorize with, made now while the caller's user may be present.
      const link = await startRelink(ctx, connection);
      throw new LifecycleError('reauth_required', 'the user must re-authorize this connection', {
        details: { linkWebUrl: link.linkWebUrl, linkExpiresAt: link.expiresAt.toISOString() },
      });
    }
    case 'revoked':
      throw new LifecycleError('connection_revoked', 'the connection was revoked');
  }
}

function usable(ctx: Pick<LifecycleContext, 'keyRing'>, connection: Connection): UsableToken {
  const tokens = openTokens(ctx.keyRing, connection);
  if (tokens.accessToken === undefined) {
    throw new LifecycleError('reauth_required', 'the connection holds no token');
  }
  if (tokens.tokenSecret !== undefined) {
    return {
      kind: 'oauth1',
      token: tokens.accessToken,
      tokenSecret: tokens.tokenSecret,
      tokenVersion: connection.tokenVersion,
    };
  }
  return {
    kind: 'oauth2',
    accessToken: tokens.accessToken,
    tokenType: connection.tokenType ?? 'Bearer',
    expiresAt: connection.expiresAt,
    tokenVersion: connection.tokenVersion,
  };
}

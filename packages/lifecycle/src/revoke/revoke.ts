import type { ConnectionId } from '@tokenlane/core';
import {
  appendEvent,
  cancelConnectionLinks,
  findConnection,
  findConnectionForUpdate,
  noticeRevokesConnection,
  transitionConnection,
  type Connection,
} from '@tokenlane/db';
import {
  ProviderError,
  revokeOAuth1Tokens,
  revokeTokens,
  type Provider,
  type RevokeResult,
} from '@tokenlane/providers';
import { defineJob } from '@tokenlane/queue';
import type { LifecycleContext } from '../context.js';
import { VaultError } from '@tokenlane/vault';
import { z } from 'zod';
import { connectionIdSchema } from '../payload-ids.js';
import { openTokens } from '../sealing.js';
import { forgetProxyCredential } from '../tokens/credential-cache.js';

/** Who asked: the backend (DELETE), the provider (a verified notice), or an operator. */
export const REVOKE_REASONS = ['api', 'provider_notice', 'operator'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

/**
 * `revoke`: revoke at the provider (unless the provider itself sent the notice), then wipe
 * (see {@link revokeConnection}). Transient provider failures go back to the backoff; on the
 * last attempt the tokens are wiped without the provider's confirmation.
 */
export const revokeJob = defineJob({
  name: 'revoke',
  payload: z.strictObject({ connectionId: connectionIdSchema, reason: z.enum(REVOKE_REASONS) }),
  jobId: (p) => `revoke-${p.connectionId}`,
  attempts: 6,
  backoff: { baseMs: 1_000, capMs: 5 * 60_000 },
  retention: { completed: true, failed: true },
  lockMs: 15_000,
  concurrency: 10,
  run: (
    ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'logger'>,
    { connectionId, reason },
    control,
  ) =>
    revokeConnection(ctx, connectionId, {
      reason,
      callProvider: reason !== 'provider_notice',
      finalAttempt: control.lastAttempt,
    }),
});

export interface RevokeOptions {
  readonly reason: RevokeReason;
  /**
   * Call the provider's revocation endpoint first. False for a provider notice: the
   * provider already knows, and its tokens are dead anyway.
   */
  readonly callProvider: boolean;
  /** The job's last attempt: a transient provider failure no longer postpones the wipe. */
  readonly finalAttempt: boolean;
  readonly now?: Date;
}

/**
 * What a revocation did (ids and codes only: it is a job's return value, kept in Redis).
 * `relinked_after_notice`: a provider notice's job found the connection re-linked after every
 * notice recorded for its account, so the notice was about an earlier link.
 */
export type RevokeOutcome =
  | { readonly status: 'revoked'; readonly confirmed: boolean }
  | { readonly status: 'already_revoked' }
  | { readonly status: 'relinked_after_notice' }
  | { readonly status: 'not_found' };

/**
 * Revokes a connection: asks the provider to revoke its tokens (RFC 7009, the provider's
 * deregistration hook, or a signed OAuth 1.0a DELETE) when `callProvider`, then wipes every
 * ciphertext and moves the connection to `revoked` with `connection.revoked` in one
 * transaction, recording whether the provider confirmed. A transient provider failure is
 * rethrown for the job's backoff until the final attempt; any other failure gives up on the
 * provider and wipes anyway. A revoked connection is left alone, so replays do nothing. For a
 * provider notice, the locked row is re-checked against the recorded notices of its account
 * (see applyRevocationNotice): a re-link after the notice keeps the connection.
 * @see RFC 7009 §2
 */
export async function revokeConnection(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'logger'>,
  id: ConnectionId,
  options: RevokeOptions,
): Promise<RevokeOutcome> {
  const connection = await findConnection(ctx.db, id);
  if (connection === undefined) return { status: 'not_found' };
  if (connection.status === 'revoked') return { status: 'already_revoked' };
  const confirmed = options.callProvider
    ? await revokeAtProvider(ctx, connection, options.finalAttempt)
    : options.reason === 'provider_notice';
  const outcome = await wipe(ctx, id, options.reason, confirmed, options.now ?? new Date());
  // After the commit: a proxied call in this process reads the revoked row from now on.
  forgetProxyCredential(ctx.db, id);
  return outcome;
}

/** Whether the provider confirmed; throws only what the job should retry. */
async function revokeAtProvider(
  ctx: Pick<LifecycleContext, 'keyRing' | 'providers' | 'logger'>,
  connection: Connection,
  finalAttempt: boolean,
): Promise<boolean> {
  const log = { connectionId: connection.id, provider: connection.provider };
  const provider = ctx.providers.get(connection.provider);
  if (provider?.configured !== true) {
    ctx.logger.warn(log, 'provider not configured: revoking without calling it');
    return false;
  }
  try {
    const result = await callRevocation(ctx, provider, connection);
    if (result === undefined) return false;
    if (!result.confirmed) ctx.logger.info(log, 'provider revocation not confirmed');
    return result.confirmed;
  } catch (error) {
    const code = errorCode(error);
    const retryable = error instanceof ProviderError ? error.retryable : code !== 'vault';
    if (retryable && !finalAttempt) throw error;
    ctx.logger.warn({ ...log, code }, 'provider revocation failed: wiping the tokens anyway');
    return false;
  }
}

async function callRevocation(
  ctx: Pick<LifecycleContext, 'keyRing'>,
  provider: Provider,
  connection: Connection,
): Promise<RevokeResult | undefined> {
  const tokens = openTokens(ctx.keyRing, connection);
  const providerUserId = connection.providerUserId ?? undefined;
  const user = providerUserId === undefined ? {} : { providerUserId };
  if (provider.kind === 'oauth1') {
    const { accessToken: token, tokenSecret } = tokens;
    if (token === undefined || tokenSecret === undefined) return undefined;
    return revokeOAuth1Tokens(provider, { token, tokenSecret, ...user });
  }
  const { accessToken, refreshToken } = tokens;
  if (accessToken === undefined && refreshToken === undefined) return undefined;
  return revokeTokens(provider, {
    ...(accessToken === undefined ? {} : { accessToken }),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...user,
  });
}

/** A log-safe code for a failure: never a message, which might quote a provider's answer. */
function errorCode(error: unknown): string {
  if (error instanceof ProviderError) return error.code;
  if (error instanceof VaultError) return 'vault';
  return 'unexpected';
}

async function wipe(
  ctx: Pick<LifecycleContext, 'db' | 'logger'>,
  id: ConnectionId,
  reason: RevokeReason,
  confirmed: boolean,
  now: Date,
): Promise<RevokeOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    // Locked and re-read: a concurrent revocation may have finished meanwhile.
    const current = await findConnectionForUpdate(trx, id);
    if (current === undefined) return { status: 'not_found' } as const;
    if (current.status === 'revoked') return { status: 'already_revoked' } as const;
    if (reason === 'provider_notice' && !(await noticeRevokesConnection(trx, id))) {
      ctx.logger.info(
        { connectionId: id, provider: current.provider, reason: 'linked_after_notice' },
        "provider notice older than the connection's link: not revoked",
      );
      return { status: 'relinked_after_notice' } as const;
    }
    await transitionConnection(
      trx,
      id,
      'revoked',
      {
        accessTokenEnc: null,
        refreshTokenEnc: null,
        tokenSecretEnc: null,
        refreshDueAt: null,
        revokedAt: now,
        revocationConfirmed: confirmed,
      },
      {
        type: 'connection.revoked',
        // An operator's revocation says so the same way as an operator's refresh does.
        data: { reason, confirmed, ...(reason === 'operator' ? { trigger: reason } : {}) },
      },
    );
    // Its unfinished links die with it: only a link made after this brings it back.
    for (const link of await cancelConnectionLinks(trx, id, now)) {
      await appendEvent(trx, {
        type: 'link.failed',
        linkSessionId: link.id,
        connectionId: id,
        userId: link.userId,
        provider: link.provider,
        data: {
          linkId: link.id,
          userId: link.userId,
          provider: link.provider,
          code: 'link_cancelled',
        },
      });
    }
    return { status: 'revoked', confirmed } as const;
  });
}

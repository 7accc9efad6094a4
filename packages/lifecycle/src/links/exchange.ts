import {
  LINK_FAILURE_CODES,
  refreshDueAt,
  type LinkFailureCode,
  newConnectionId,
  type ConnectionId,
  type LinkSessionId,
} from '@tokenlane/core';
import {
  appendConnectionEvent,
  findLinkSession,
  insertConnection,
  transitionConnection,
  updateLinkSession,
  type ConnectionPatch,
  type LinkSession,
} from '@tokenlane/db';
import { observeExchange } from '@tokenlane/metrics';
import {
  exchangeCode,
  exchangePin,
  getAccessToken,
  ProviderError,
  revokeOAuth1Tokens,
  revokeTokens,
  runOAuth1PostLink,
  runPostLink,
  type Provider,
  type ProviderErrorCode,
} from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { Secret, type Ciphertext } from '@tokenlane/vault';
import pRetry from 'p-retry';
import { openLinkSecret, sealOAuth1Tokens, sealTokenSet } from '../sealing.js';
import { failLink } from './fail-link.js';
import { countLinkLookup, linkIdentityPatch, resolveBeforeLink } from './identity.js';
import { resolveLinkTarget } from './link-target.js';
import { rejectPin } from './pin-attempts.js';
import { planLinkMove, predecessorConnection, type LinkMove } from './move-on-link.js';

/** A provider user id look-up that failed (the link stands without the id), for the event. */
function identityReport(exchanged: Exchanged) {
  const { identityLookup, identityLookupError } = exchanged.metadata;
  return identityLookup === 'failed'
    ? { identityLookup: 'failed', identityLookupError: String(identityLookupError) }
    : {};
}

import type { ExchangeOutcome } from './outcomes.js';

export type { ExchangeOutcome };

/** The provider's answer, ready to store: sealing needs the connection id first. */
interface Exchanged {
  readonly providerUserId: string | null;
  /** The provider's identity look-up failed with this code: the identity is pending. */
  readonly identityPending: ProviderErrorCode | undefined;
  readonly metadata: Record<string, string | number | boolean>;
  seal(id: ConnectionId): ConnectionPatch;
  /** Revokes these tokens at the provider: a refused link leaves no grant behind. */
  revoke(): Promise<unknown>;
}

/** What a link's code exchange uses of the lifecycle context. */
export type ExchangeDeps = Pick<
  LifecycleContext,
  'db' | 'keyRing' | 'providers' | 'redis' | 'metrics' | 'logger' | 'config' | 'policy'
>;

/**
 * The `exchange` job: trades the code (or PIN, or verifier) stored on a link session for tokens,
 * runs the provider's post-link step, then writes the connection, consumes the session and
 * writes `connection.created` in one transaction. A provider refusal ends the link; a code is
 * never sent twice (docs/architecture.md, rule 5). Replays of a finished session return its outcome.
 */
export async function exchangeLink(ctx: ExchangeDeps, id: LinkSessionId): Promise<ExchangeOutcome> {
  const session = await findLinkSession(ctx.db, id);
  if (session === undefined) return { status: 'failed', code: 'link_not_found' };
  if (session.status === 'completed' && session.resultConnectionId !== null) {
    return { status: 'completed', connectionId: session.resultConnectionId };
  }
  if (session.status !== 'exchanging' || session.codeEnc === null) {
    return { status: 'failed', code: linkFailureCode(session.errorCode) };
  }
  const provider = ctx.providers.require(session.provider);
  const observed = observeExchange(ctx.metrics, provider.id);
  let exchanged: Exchanged;
  try {
    exchanged = await callProvider(ctx, provider, { ...session, codeEnc: session.codeEnc });
  } catch (error) {
    if (!(error instanceof ProviderError)) {
      observed.failed('internal');
      throw error;
    }
    if (session.method === 'pin' && ['invalid_grant', 'invalid_request'].includes(error.code)) {
      return observed.done(await rejectPin(ctx, session));
    }
    await failLink(ctx, session, error.code);
    return observed.done({ status: 'failed', code: error.code });
  }
  // A connection the link may land on whose identity is still pending is asked about first.
  if (provider.kind === 'oauth2' && provider.identity !== undefined) {
    await countLinkLookup(ctx, session);
    await resolveBeforeLink(ctx, session, exchanged.providerUserId !== null);
  }
  // The tokens exist only in memory now, and the code is spent: retry the write here (about
  // 30 s, a database restart) rather than lose them; a job retry would re-send the code.
  let move: LinkMove | undefined;
  const stored = await pRetry(
    () =>
      persist(ctx, session, exchanged, (planned) => {
        move = planned;
      }),
    STORE_RETRY,
  ).catch((error: unknown) => {
    observed.failed('internal');
    throw new CodeSpentError(error);
  });
  if (stored.kind === 'refused') {
    await revokeRefused(ctx, session, exchanged);
    await failLink(ctx, session, stored.code);
    return observed.done({ status: 'failed', code: stored.code });
  }
  await move?.revokeOld();
  return observed.done({ status: 'completed', connectionId: stored.id });
}

/**
 * The provider's post-link step (its user id, a registration), run once the code is spent: if
 * it fails, the grant just issued is revoked and the exchange ends here. A provider refusal
 * fails the link with its code; anything else is `CodeSpentError`, never a job retry that
 * would re-send the code.
 */
async function afterExchange<T>(
  ctx: Pick<LifecycleContext, 'logger'>,
  session: LinkSession,
  step: () => Promise<T>,
  issued: Pick<Exchanged, 'revoke'>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await revokeRefused(ctx, session, issued);
    if (error instanceof ProviderError) throw error;
    throw new CodeSpentError(error);
  }
}

/** Best effort: a provider that cannot revoke, or fails to, leaves an unused grant behind. */
async function revokeRefused(
  ctx: Pick<LifecycleContext, 'logger'>,
  session: LinkSession,
  exchanged: Pick<Exchanged, 'revoke'>,
) {
  try {
    await exchanged.revoke();
  } catch (error) {
    const code = error instanceof ProviderError ? error.code : 'unexpected';
    ctx.logger.warn(
      { linkId: session.id, provider: session.provider, code },
      'could not revoke the tokens of a refused link',
    );
  }
}

/** A link session's stored error code, as the closed set it was written from. */
function linkFailureCode(code: string | null): LinkFailureCode {
  return LINK_FAILURE_CODES.find((known) => known === code) ?? 'link_not_exchanging';
}

const STORE_RETRY = { retries: 8, minTimeout: 250, maxTimeout: 5_000, factor: 2 } as const;

/**
 * The provider answered the exchange but its tokens could not be kept (the post-link step or
 * the store failed): the code is spent, so the exchange must end now (the worker fails the
 * link) rather than be retried.
 */
export class CodeSpentError extends Error {
  override readonly name = 'CodeSpentError';
  constructor(cause: unknown) {
    super('the provider answered but the connection could not be stored');
    Object.defineProperty(this, 'cause', { value: cause, enumerable: false });
  }
}

/**
 * The last word on an exchange that failed on our side: a session still `exchanging` is
 * failed (`link.failed`, `exchange_failed`) and its code wiped.
 */
export async function failExchange(
  ctx: Pick<LifecycleContext, 'db'>,
  id: LinkSessionId,
): Promise<void> {
  const session = await findLinkSession(ctx.db, id);
  if (session?.status !== 'exchanging') return;
  await failLink(ctx, session, 'exchange_failed');
}

async function callProvider(
  ctx: Pick<LifecycleContext, 'keyRing' | 'logger'>,
  provider: Provider,
  session: LinkSession & { codeEnc: Ciphertext },
): Promise<Exchanged> {
  const code = openLinkSecret(ctx.keyRing, session.id, 'code', session.codeEnc);
  if (provider.kind === 'oauth1') {
    if (session.requestTokenSecretEnc === null)
      throw new Error('OAuth 1.0a link without a request token');
    const stored = openLinkSecret(
      ctx.keyRing,
      session.id,
      'request_token',
      session.requestTokenSecretEnc,
    );
    const { token, secret } = JSON.parse(stored.reveal()) as { token: string; secret: string };
    const raw = await getAccessToken(provider, {
      requestToken: new Secret(token),
      requestTokenSecret: new Secret(secret),
      verifier: code,
    });
    const tokens = await afterExchange(ctx, session, () => runOAuth1PostLink(provider, raw), {
      revoke: () => revokeOAuth1Tokens(provider, raw),
    });
    return {
      providerUserId: tokens.providerUserId ?? null,
      identityPending: undefined,
      metadata: {},
      seal: (id) => sealOAuth1Tokens(ctx.keyRing, id, tokens),
      revoke: () => revokeOAuth1Tokens(provider, tokens),
    };
  }
  const verifier =
    session.codeVerifierEnc === null
      ? undefined
      : openLinkSecret(ctx.keyRing, session.id, 'code_verifier', session.codeVerifierEnc);
  const raw =
    session.method === 'pin'
      ? await exchangePin(provider, { pin: code })
      : await exchangeCode(provider, {
          code,
          scopes: session.scopes,
          ...(verifier === undefined ? {} : { codeVerifier: verifier }),
        });
  const tokens = await afterExchange(
    ctx,
    session,
    () => runPostLink(provider, raw, { memberId: session.userId }),
    {
      revoke: () =>
        revokeTokens(provider, {
          accessToken: raw.accessToken,
          ...(raw.refreshToken === undefined ? {} : { refreshToken: raw.refreshToken }),
        }),
    },
  );
  const issuedAt = new Date();
  return {
    providerUserId: tokens.providerUserId ?? null,
    identityPending: tokens.identityPending,
    metadata: { ...tokens.metadata },
    seal: (id) => ({
      ...sealTokenSet(ctx.keyRing, id, tokens),
      // Without a refresh token there is nothing to refresh on a timer.
      refreshDueAt:
        tokens.refreshToken === undefined ? null : refreshDueAt(issuedAt, tokens.expiresAt),
    }),
    revoke: () =>
      revokeTokens(provider, {
        accessToken: tokens.accessToken,
        ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
        ...(tokens.providerUserId === undefined ? {} : { providerUserId: tokens.providerUserId }),
      }),
  };
}

type Stored =
  | { readonly kind: 'stored'; readonly id: ConnectionId }
  | { readonly kind: 'refused'; readonly code: LinkFailureCode };

async function persist(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'metrics' | 'logger' | 'policy'>,
  session: LinkSession,
  exchanged: Exchanged,
  onMove: (move: LinkMove | undefined) => void,
): Promise<Stored> {
  return ctx.db.transaction().execute(async (trx): Promise<Stored> => {
    const resolved = await resolveLinkTarget(
      trx,
      session,
      exchanged.providerUserId,
      exchanged.metadata,
    );
    if (resolved.kind === 'refused') return resolved;
    // A new link without connectionId may still be a user's move from the predecessor
    // provider (a google-health link whose legacyUserId is an existing fitbit connection's).
    const target =
      resolved.kind === 'existing'
        ? resolved.id
        : await predecessorConnection(ctx, trx, session, exchanged.metadata);
    const reset = {
      providerUserId: exchanged.providerUserId,
      metadata: exchanged.metadata,
      // A re-link starts a new grant: the old one's run of failures (and its backoff) is over.
      refreshAttempts: 0,
      lastErrorCode: null,
      lastErrorAt: null,
      failingSince: null,
      revokedAt: null,
      revocationConfirmed: null,
      // On the database clock, like notice receipts: notices from before this revoke nothing.
      linkedAt: 'now',
      // The new grant's identity: known, or pending with its first retry scheduled.
      ...linkIdentityPatch(ctx, exchanged.identityPending),
    } satisfies ConnectionPatch;
    let connectionId: ConnectionId;
    if (target === undefined) {
      connectionId = newConnectionId();
      await insertConnection(trx, {
        id: connectionId,
        userId: session.userId,
        provider: session.provider,
        status: 'active',
        ...reset,
        ...exchanged.seal(connectionId),
      });
      const subject = { id: connectionId, userId: session.userId, provider: session.provider };
      await appendConnectionEvent(trx, subject, {
        type: 'connection.created',
        linkSessionId: session.id,
        data: {
          status: 'active',
          providerUserId: exchanged.providerUserId,
          relinked: false,
          ...identityReport(exchanged),
        },
      });
    } else {
      connectionId = target;
      // A link to the connection's successor moves it there (same id).
      const move = await planLinkMove(ctx, trx, target, session);
      onMove(move);
      await transitionConnection(
        trx,
        target,
        'active',
        { ...reset, ...exchanged.seal(target), ...move?.patch },
        move?.event ?? {
          type: 'connection.created',
          linkSessionId: session.id,
          data: {
            providerUserId: exchanged.providerUserId,
            relinked: true,
            ...identityReport(exchanged),
          },
        },
      );
    }
    await updateLinkSession(trx, session.id, {
      status: 'completed',
      resultConnectionId: connectionId,
      completedAt: new Date(),
      codeEnc: null,
      codeVerifierEnc: null,
      requestTokenSecretEnc: null,
      linkUrlEnc: null,
      authorizeUrlEnc: null,
    });
    return { kind: 'stored', id: connectionId };
  });
}

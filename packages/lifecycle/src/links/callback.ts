import { REDIRECT_ERROR_CODES, type LinkFailureCode } from '@tokenlane/core';
import {
  consumeRequestToken,
  consumeState,
  findLinkSessionByRequestTokenHash,
  findLinkSessionByStateHash,
  updateLinkSession,
  type LinkSession,
} from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { continueTrace } from '@tokenlane/tracing';
import { Secret, hashState } from '@tokenlane/vault';
import { LifecycleError } from '../errors.js';
import { sealLinkSecret } from '../sealing.js';
import { failLink } from './fail-link.js';
import type { ExchangeOutcome } from './exchange.js';
import { runExchangeJob } from './exchange.job.js';

/** The provider redirect's query (OAuth 2.0 or OAuth 1.0a), already schema-checked. */
export interface CallbackQuery {
  readonly state?: string | undefined;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
  readonly iss?: string | undefined;
  readonly oauth_token?: string | undefined;
  readonly oauth_verifier?: string | undefined;
}

/**
 * The nonce the callback's browser holds for a link (its cookie), by link id; undefined when
 * it holds none. A browser-bound link completes only with it.
 */
export type BrowserNonce = (linkId: LinkSession['id']) => string | undefined;

/** Where to send the user, and what happened. */
export interface CallbackResult {
  readonly session: LinkSession;
  readonly outcome: ExchangeOutcome | { readonly status: 'pending' };
}

const invalidState = () =>
  new LifecycleError('invalid_state', 'missing, unknown, expired or already used state');

/**
 * Accepts a provider redirect. The state (or OAuth 1.0a request token) is consumed atomically:
 * a missing, unknown, expired, replayed or mismatched one is refused with `invalid_state` and
 * nothing changes (docs/architecture.md, rule 3). The code is stored encrypted and exchanged by the
 * `exchange` job, which the caller waits for up to TOKENLANE_CALLBACK_WAIT_MS. A link opened
 * through `/connect/<id>` also needs the nonce its browser got there (`browserNonce`), so a
 * redirect brought to another browser changes nothing.
 * @see RFC 6749 §4.1.2, RFC 9700 §4.7, RFC 9207 §2.4, RFC 5849 §2.2
 */
export async function acceptCallback(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'queues' | 'config'>,
  query: CallbackQuery,
  browserNonce: BrowserNonce = () => undefined,
): Promise<CallbackResult> {
  const now = new Date();
  const consumed =
    query.oauth_token !== undefined
      ? await consumeOAuth1(ctx, query, now, browserNonce)
      : await consumeOAuth2(ctx, query, now, browserNonce);
  if (consumed === undefined) throw invalidState();
  const { session, code } = consumed;
  // The state named the link: from here on the work belongs to the link's own trace.
  return continueTrace(session.traceparent, 'link callback', () =>
    completeCallback(ctx, session, code, query.error),
  );
}

async function completeCallback(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'queues' | 'config'>,
  session: LinkSession,
  code: string | undefined,
  error: string | undefined,
): Promise<CallbackResult> {
  if (code === undefined) {
    const reason = providerErrorCode(error);
    const failed = await failLink(ctx, session, reason);
    return { session: failed, outcome: { status: 'failed', code: reason } };
  }
  await updateLinkSession(ctx.db, session.id, {
    status: 'exchanging',
    codeEnc: sealLinkSecret(ctx.keyRing, session.id, 'code', new Secret(code)),
  });
  const outcome = await runExchangeJob(ctx, session.id, ctx.config.callbackWaitMs);
  return { session, outcome: outcome ?? { status: 'pending' } };
}

/** The hash of the nonce this browser holds for `session`, as the consume compares it. */
function nonceHashOf(session: LinkSession, browserNonce: BrowserNonce): string | undefined {
  const nonce = browserNonce(session.id);
  return nonce === undefined || nonce === '' ? undefined : hashState(nonce);
}

async function consumeOAuth2(
  ctx: Pick<LifecycleContext, 'db' | 'providers'>,
  query: CallbackQuery,
  now: Date,
  browserNonce: BrowserNonce,
) {
  if (query.state === undefined || query.state === '') return undefined;
  const stateHash = hashState(query.state);
  // The state names its session and so its provider; the consume is bound to that provider,
  // and a state issued for an OAuth 1.0a link is never valid on an OAuth 2.0 redirect.
  const session = await findLinkSessionByStateHash(ctx.db, stateHash);
  // A PIN link ends only through its PIN: its provider URL (holding the state) is shown to
  // the user, so anyone who saw it could otherwise end the link with `error=access_denied`.
  if (session === undefined || session.method === 'pin') return undefined;
  const provider = ctx.providers.get(session.provider);
  if (provider?.kind !== 'oauth2') return undefined;
  // Mix-up defence: the authorization server that answered must be the one the state was
  // issued for. Refused before the consume, so the real redirect can still complete.
  if (query.iss !== undefined && provider.issuer !== undefined && query.iss !== provider.issuer) {
    return undefined;
  }
  // A provider documented to always send `iss`: a redirect without one did not come from it.
  if (
    query.iss === undefined &&
    provider.issuer !== undefined &&
    provider.authorizationResponseIss
  ) {
    return undefined;
  }
  const nonceHash = nonceHashOf(session, browserNonce);
  const consumed = await consumeState(ctx.db, stateHash, session.provider, now, nonceHash);
  if (consumed === undefined) return undefined;
  return { session: consumed, code: query.error === undefined ? query.code : undefined };
}

async function consumeOAuth1(
  ctx: Pick<LifecycleContext, 'db'>,
  query: CallbackQuery,
  now: Date,
  browserNonce: BrowserNonce,
) {
  if (query.oauth_token === undefined || query.oauth_token === '') return undefined;
  const tokenHash = hashState(query.oauth_token);
  const session = await findLinkSessionByRequestTokenHash(ctx.db, tokenHash);
  if (session === undefined || session.method === 'pin') return undefined;
  const nonceHash = nonceHashOf(session, browserNonce);
  const consumed = await consumeRequestToken(ctx.db, tokenHash, now, nonceHash);
  return consumed && { session: consumed, code: query.oauth_verifier };
}

/** RFC 6749 §4.1.2.1 error codes pass through; anything else is reported generically. */
function providerErrorCode(error: string | undefined): LinkFailureCode {
  return REDIRECT_ERROR_CODES.find((code) => code === error) ?? 'authorization_failed';
}

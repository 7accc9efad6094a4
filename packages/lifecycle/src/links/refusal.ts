import type { LinkRefusal } from '@tokenlane/core';
import {
  findLinkSessionByConnectHash,
  findLinkSessionByRequestTokenHash,
  findLinkSessionByStateHash,
  type LinkSession,
} from '@tokenlane/db';
import { hashState } from '@tokenlane/vault';
import type { LifecycleContext } from '../context.js';
import type { BrowserNonce, CallbackQuery } from './callback.js';

/** A refused link, explained: the provider is known unless the link is. */
export interface ExplainedRefusal {
  readonly refusal: LinkRefusal;
  readonly provider?: string | undefined;
}

/**
 * Reads (never writes) why `session` was refused, after the atomic consume already said no:
 * the explanation only picks the page's words, it decides nothing. Only whoever holds the
 * link's state or id learns it, and it tells them nothing they could use on another link.
 */
function refusalOf(
  session: LinkSession | undefined,
  now: Date,
  nonce: string | undefined,
): ExplainedRefusal {
  if (session === undefined || session.method === 'pin') return { refusal: 'unknown_link' };
  const { provider } = session;
  // Used first: after a completed callback the cookie is cleared, so the browser that
  // finished the link holds no nonce either; both are told the link is used up.
  if (session.callbackAt !== null || session.status !== 'pending') {
    return { refusal: 'link_used', provider };
  }
  if (session.expiresAt <= now) return { refusal: 'link_expired', provider };
  const bound = session.browserNonceHash;
  if (bound !== null && (nonce === undefined || nonce === '' || hashState(nonce) !== bound)) {
    return { refusal: 'other_browser', provider };
  }
  // Pending, unexpired and this browser's: refused for a reason of the redirect itself (a
  // mix-up defence), which a page cannot name better than "unknown".
  return { refusal: 'unknown_link', provider };
}

/** Why `/oauth/callback` refused this redirect (the page's words only). */
export async function explainCallbackRefusal(
  ctx: Pick<LifecycleContext, 'db'>,
  query: CallbackQuery,
  browserNonce: BrowserNonce,
): Promise<ExplainedRefusal> {
  const session =
    query.oauth_token !== undefined && query.oauth_token !== ''
      ? await findLinkSessionByRequestTokenHash(ctx.db, hashState(query.oauth_token))
      : query.state !== undefined && query.state !== ''
        ? await findLinkSessionByStateHash(ctx.db, hashState(query.state))
        : undefined;
  return refusalOf(session, new Date(), session && browserNonce(session.id));
}

/**
 * Why `/connect/<id>` cannot be opened (the page's words only). Opened already counts as
 * used: a link opens once, in one browser.
 */
export async function explainConnectRefusal(
  ctx: Pick<LifecycleContext, 'db'>,
  connectId: string,
): Promise<ExplainedRefusal> {
  const session = await findLinkSessionByConnectHash(ctx.db, hashState(connectId));
  if (session === undefined) return { refusal: 'unknown_link' };
  const { provider } = session;
  if (session.openedAt !== null || session.status !== 'pending') {
    return { refusal: 'link_used', provider };
  }
  if (session.expiresAt <= new Date()) return { refusal: 'link_expired', provider };
  return { refusal: 'unknown_link', provider };
}

import type { LinkSessionId } from '@tokenlane/core';
import { findOpenableLink, openConnectLink } from '@tokenlane/db';
import { generateState, hashState } from '@tokenlane/vault';
import type { LifecycleContext } from '../context.js';
import { LifecycleError } from '../errors.js';
import { openLinkSecret } from '../sealing.js';

/** A browser-bound link, opened: where to send the browser, and the nonce to give it. */
export interface OpenedLink {
  readonly linkId: LinkSessionId;
  /** The provider's authorization URL (it carries the state). */
  readonly authorizeUrl: string;
  /** The cookie value the callback must bring back; only its hash is stored. */
  readonly nonce: string;
  readonly expiresAt: Date;
}

/** What a link that can still be opened is for, told without opening it. */
export interface LinkPreview {
  readonly provider: string;
  readonly expiresAt: Date;
}

const NOT_PENDING = 'This link was already opened, has expired or is finished. Ask for a new link.';

/**
 * Looks at `linkWebUrl` (`/connect/<id>`) without spending it: the page a GET shows, so a
 * mail or chat scanner fetching the URL first leaves the link for the user.
 */
export async function previewLink(
  ctx: Pick<LifecycleContext, 'db'>,
  connectId: string,
): Promise<LinkPreview> {
  const session = await findOpenableLink(ctx.db, hashState(connectId), new Date());
  if (session?.authorizeUrlEnc == null) throw new LifecycleError('link_not_pending', NOT_PENDING);
  return { provider: session.provider, expiresAt: session.expiresAt };
}

/**
 * Opens `linkWebUrl` (`/connect/<id>`) once: a fresh nonce for the opening browser (stored as
 * a hash), and the provider URL to redirect it to. The callback then needs that nonce with
 * the state, so a link completed in another browser, or opened twice, changes nothing.
 * @see RFC 9700 §4.7.1, RFC 6749 §10.12
 */
export async function openLink(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing'>,
  connectId: string,
): Promise<OpenedLink> {
  const { state: nonce, stateHash: nonceHash } = generateState();
  const session = await openConnectLink(ctx.db, hashState(connectId), nonceHash, new Date());
  if (session?.authorizeUrlEnc == null) {
    throw new LifecycleError('link_not_pending', NOT_PENDING);
  }
  const url = openLinkSecret(ctx.keyRing, session.id, 'authorize_url', session.authorizeUrlEnc);
  return {
    linkId: session.id,
    authorizeUrl: url.reveal(),
    nonce,
    expiresAt: session.expiresAt,
  };
}

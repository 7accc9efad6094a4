import { newLinkSessionId, type ConnectionId, type LinkSessionId } from '@tokenlane/core';
import { appendEvent, findConnection, insertLinkSession, type LinkMethod } from '@tokenlane/db';
import {
  authorizationUrl,
  createPkce,
  getRequestToken,
  isRetired,
  oauth1AuthorizationUrl,
  usesPkce,
  type Provider,
} from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { Secret, generateState, hashState } from '@tokenlane/vault';
import { LifecycleError } from '../errors.js';
import { sealLinkSecret } from '../sealing.js';

export interface StartLinkInput {
  readonly userId: string;
  readonly provider: string;
  readonly returnUrl?: string | undefined;
  readonly scopes?: readonly string[] | undefined;
  /**
   * Re-link this connection (after `reauth_required`) instead of creating a new one. With a
   * `provider` that is the connection's successor, completing the link moves the connection
   * there (same id): how a `reconsent` migration and `POST …/relink {provider}` land.
   */
  readonly connectionId?: ConnectionId | undefined;
  /** How long the link stays usable; defaults to TOKENLANE_LINK_TTL_SECONDS. */
  readonly ttlSeconds?: number | undefined;
}

export interface LinkStarted {
  readonly linkId: LinkSessionId;
  readonly linkWebUrl: string;
  readonly method: LinkMethod;
  readonly expiresAt: Date;
}

/**
 * Starts a link: a session with a fresh single-use state (stored as a hash), a PKCE verifier
 * or OAuth 1.0a request token (encrypted), and the provider URL the user must open.
 * Writes `link.created` with the session.
 * @see RFC 6749 §4.1.1, RFC 7636 §4, RFC 5849 §2.1
 */
export async function startLink(
  ctx: LifecycleContext,
  input: StartLinkInput,
): Promise<LinkStarted> {
  const provider = ctx.providers.require(input.provider);
  if (isRetired(provider)) {
    const successor = provider.successor === undefined ? '' : `; link "${provider.successor}"`;
    throw new LifecycleError(
      'provider_retired',
      `Provider "${provider.id}" is retired${successor}`,
      {
        details: provider.successor === undefined ? {} : { successor: provider.successor },
      },
    );
  }
  const returnUrl = checkReturnUrl(ctx.config.allowedReturnUrls, input.returnUrl);
  if (input.connectionId !== undefined) await checkRelinkTarget(ctx, input, input.connectionId);

  const id = newLinkSessionId();
  const { state, stateHash } = generateState();
  const method: LinkMethod = provider.pin === true ? 'pin' : 'redirect';
  const scopes = input.scopes ?? (provider.kind === 'oauth2' ? provider.scopes : []);
  const authorization = await authorize(ctx, provider, id, state, scopes);
  const expiresAt = new Date(Date.now() + (input.ttlSeconds ?? ctx.config.linkTtlSeconds) * 1000);

  await ctx.db.transaction().execute(async (trx) => {
    await insertLinkSession(trx, {
      id,
      provider: provider.id,
      userId: input.userId,
      method,
      stateHash,
      expiresAt,
      returnUrl,
      scopes,
      connectionId: input.connectionId ?? null,
      ...authorization.secrets,
    });
    await appendEvent(trx, {
      type: 'link.created',
      linkSessionId: id,
      connectionId: input.connectionId,
      userId: input.userId,
      provider: provider.id,
      data: {
        linkId: id,
        method,
        expiresAt: expiresAt.toISOString(),
        userId: input.userId,
        provider: provider.id,
      },
    });
  });
  return { linkId: id, linkWebUrl: authorization.url, method, expiresAt };
}

async function authorize(
  ctx: LifecycleContext,
  provider: Provider,
  id: LinkSessionId,
  state: string,
  scopes: readonly string[],
) {
  if (provider.kind === 'oauth1') {
    const { requestToken, requestTokenSecret } = await getRequestToken(provider);
    const credentials = JSON.stringify({
      token: requestToken.reveal(),
      secret: requestTokenSecret.reveal(),
    });
    return {
      url: oauth1AuthorizationUrl(provider, requestToken),
      secrets: {
        requestTokenHash: hashState(requestToken.reveal()),
        requestTokenSecretEnc: sealLinkSecret(
          ctx.keyRing,
          id,
          'request_token',
          new Secret(credentials),
        ),
      },
    };
  }
  const pkce = usesPkce(provider) ? createPkce() : undefined;
  return {
    url: authorizationUrl(provider, {
      state,
      scopes,
      ...(provider.pin === true ? {} : { redirectUri: provider.redirectUri }),
      ...(pkce === undefined ? {} : { codeChallenge: pkce.challenge }),
    }),
    secrets:
      pkce === undefined
        ? {}
        : { codeVerifierEnc: sealLinkSecret(ctx.keyRing, id, 'code_verifier', pkce.verifier) },
  };
}

/**
 * `returnUrl` must start with one of the configured prefixes (compared after URL
 * normalisation), or tokenlane would be an open redirect (RFC 9700 §4.11).
 */
export function checkReturnUrl(
  allowed: readonly string[],
  returnUrl: string | undefined,
): string | null {
  if (returnUrl === undefined) return null;
  let normalized: string;
  try {
    normalized = new URL(returnUrl).href;
  } catch {
    throw new LifecycleError('return_url_not_allowed', 'returnUrl must be an absolute URL');
  }
  if (!allowed.some((prefix) => normalized.startsWith(prefix))) {
    throw new LifecycleError(
      'return_url_not_allowed',
      'returnUrl does not match TOKENLANE_ALLOWED_RETURN_URLS',
    );
  }
  return normalized;
}

async function checkRelinkTarget(
  ctx: LifecycleContext,
  input: StartLinkInput,
  connectionId: ConnectionId,
): Promise<void> {
  const connection = await findConnection(ctx.db, connectionId);
  if (connection === undefined) {
    throw new LifecycleError('connection_not_found', 'connection not found');
  }
  // A connection is re-linked at its own provider, or moved to that provider's successor.
  const successor = ctx.providers.get(connection.provider)?.successor;
  const provider = input.provider === connection.provider || input.provider === successor;
  if (connection.userId !== input.userId || !provider) {
    throw new LifecycleError(
      'connection_mismatch',
      'connectionId belongs to another user, or to a provider that is neither this one nor its predecessor',
    );
  }
}

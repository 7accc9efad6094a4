import { newLinkSessionId, type ConnectionId, type LinkSessionId } from '@tokenlane/core';
import {
  appendEvent,
  findConnection,
  insertLinkSession,
  type DbExecutor,
  type LinkMethod,
  type NewLinkSession,
} from '@tokenlane/db';
import { createPkce } from '@tokenlane/oauth';
import {
  authorizationUrl,
  getRequestToken,
  isRetired,
  oauth1AuthorizationUrl,
  ProviderError,
  usesPkce,
  type Provider,
} from '@tokenlane/providers';
import { currentTraceparent } from '@tokenlane/tracing';
import type { LifecycleContext } from '../context.js';
import { Secret, generateState, hashState } from '@tokenlane/vault';
import { LifecycleError } from '../errors.js';
import { sealLinkSecret } from '../sealing.js';
import { isRelinkProvider } from './relink-provider.js';

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
  /** Who asked, when not the API (an operator in the console): kept in `link.created`. */
  readonly trigger?: 'operator' | undefined;
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
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'config'>,
  input: StartLinkInput,
): Promise<LinkStarted> {
  const prepared = await prepareLink(ctx, ctx.db, input);
  return ctx.db.transaction().execute((trx) => writeLink(trx, prepared));
}

/** A link ready to store: the session row and what the caller gets. */
export interface PreparedLink {
  readonly session: NewLinkSession & { readonly returnUrl: string | null };
  readonly started: LinkStarted;
  /** Who asked, for the event: an operator in the console. */
  readonly trigger?: 'operator' | undefined;
}

/**
 * Everything of a link but its write: checks, state, PKCE verifier or OAuth 1.0a request
 * token (a provider call), the sealed URL. `db` reads the re-link target.
 */
export async function prepareLink(
  ctx: Pick<LifecycleContext, 'keyRing' | 'providers' | 'config'>,
  db: DbExecutor,
  input: StartLinkInput,
): Promise<PreparedLink> {
  // Retired first: a deployment that never configured a retired provider still learns where
  // its users went (its successor), not only that it lacks credentials for it.
  const known = ctx.providers.get(input.provider);
  if (known !== undefined && isRetired(known)) {
    const successor = known.successor === undefined ? '' : `; link "${known.successor}"`;
    throw new LifecycleError('provider_retired', `Provider "${known.id}" is retired${successor}`, {
      details: known.successor === undefined ? {} : { successor: known.successor },
    });
  }
  const provider = ctx.providers.require(input.provider);
  const returnUrl = checkReturnUrl(ctx.config.allowedReturnUrls, input.returnUrl);
  if (input.connectionId !== undefined) await checkRelinkTarget(ctx, db, input, input.connectionId);

  const id = newLinkSessionId();
  const { state, stateHash } = generateState();
  const method: LinkMethod = provider.pin === true ? 'pin' : 'redirect';
  const scopes = input.scopes ?? (provider.kind === 'oauth2' ? provider.scopes : []);
  const authorization = await authorize(ctx, provider, id, state, scopes);
  const expiresAt = new Date(Date.now() + (input.ttlSeconds ?? ctx.config.linkTtlSeconds) * 1000);
  // A redirect link is opened through tokenlane, which binds it to the opening browser;
  // a PIN link has no callback to bind, and goes to the provider directly.
  const connect = method === 'redirect' ? generateState() : undefined;
  const linkWebUrl =
    connect === undefined ? authorization.url : `${ctx.config.publicUrl}/connect/${connect.state}`;
  return {
    session: {
      id,
      provider: provider.id,
      userId: input.userId,
      method,
      stateHash,
      expiresAt,
      returnUrl,
      scopes,
      connectionId: input.connectionId ?? null,
      // The callback (another request) continues this request's trace: one trace per link.
      traceparent: currentTraceparent() ?? null,
      linkUrlEnc: sealLinkSecret(ctx.keyRing, id, 'link_url', new Secret(linkWebUrl)),
      ...(connect === undefined
        ? {}
        : {
            connectHash: connect.stateHash,
            authorizeUrlEnc: sealLinkSecret(
              ctx.keyRing,
              id,
              'authorize_url',
              new Secret(authorization.url),
            ),
          }),
      ...authorization.secrets,
    },
    started: { linkId: id, linkWebUrl, method, expiresAt },
    trigger: input.trigger,
  };
}

/** Stores a prepared link and its `link.created` event; call inside a transaction. */
export async function writeLink(trx: DbExecutor, prepared: PreparedLink): Promise<LinkStarted> {
  const { session, started } = prepared;
  await insertLinkSession(trx, session);
  await appendEvent(trx, {
    type: 'link.created',
    linkSessionId: session.id,
    connectionId: session.connectionId ?? undefined,
    userId: session.userId,
    provider: session.provider,
    data: {
      linkId: session.id,
      method: session.method,
      expiresAt: session.expiresAt.toISOString(),
      userId: session.userId,
      provider: session.provider,
      ...(prepared.trigger === undefined ? {} : { trigger: prepared.trigger }),
    },
  });
  return started;
}

async function authorize(
  ctx: Pick<LifecycleContext, 'keyRing'>,
  provider: Provider,
  id: LinkSessionId,
  state: string,
  scopes: readonly string[],
) {
  if (provider.kind === 'oauth1') {
    const { requestToken, requestTokenSecret, callbackConfirmed } = await getRequestToken(provider);
    // Without the confirmation the server ignored our callback (an OAuth 1.0 server, open to
    // session fixation): the link would complete elsewhere, so none is made.
    if (!callbackConfirmed) {
      throw new ProviderError(
        'invalid_response',
        'the request token answer lacks oauth_callback_confirmed=true',
        { providerId: provider.id },
      );
    }
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
  ctx: Pick<LifecycleContext, 'providers'>,
  db: DbExecutor,
  input: StartLinkInput,
  connectionId: ConnectionId,
): Promise<void> {
  const connection = await findConnection(db, connectionId);
  if (connection === undefined) {
    throw new LifecycleError('connection_not_found', 'connection not found');
  }
  if (
    connection.userId !== input.userId ||
    !isRelinkProvider(ctx.providers, connection, input.provider)
  ) {
    throw new LifecycleError(
      'connection_mismatch',
      'connectionId belongs to another user, or to a provider that is neither this one nor its predecessor',
    );
  }
}

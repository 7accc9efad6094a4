import type { Secret } from '@tokenlane/vault';
import { errorFromResponse, parseBody, providerErrorString } from '../classify.js';
import { ProviderError } from '../errors.js';
import { send, type CallOptions, type HttpResponse } from '../http.js';
import { withRetry } from '../retry.js';
import {
  expiresAfter,
  idTokenSubject,
  secret,
  splitScopes,
  tokenResponseSchema,
  type TokenSet,
} from '../tokens.js';
import type { OAuth2Client, TokenRequestDraft } from './client.js';

const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

/**
 * The `Authorization: Basic` value: id and secret are form-urlencoded before base64.
 * @see RFC 6749 §2.3.1
 */
export function basicAuthorization(clientId: string, clientSecret: Secret): string {
  const cached = basicHeaders.get(clientSecret);
  if (cached?.clientId === clientId) return cached.header;
  const pair = `${formEncode(clientId)}:${formEncode(clientSecret.reveal())}`;
  const header = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  basicHeaders.set(clientSecret, { clientId, header });
  return header;
}

// Built once per provider config rather than on every refresh: keyed by the config's own
// (immutable) Secret, so a reloaded config with a new secret builds a new header, and the
// entry goes when the config does.
const basicHeaders = new WeakMap<Secret, { readonly clientId: string; readonly header: string }>();

/**
 * Authenticates the client on a token or revocation request: a Basic header or body members.
 * @see RFC 6749 §2.3.1
 */
export function authenticateClient(
  provider: OAuth2Client,
  params: URLSearchParams,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (provider.tokenEndpointAuthMethod === 'client_secret_basic') {
    headers.authorization = basicAuthorization(provider.clientId, provider.clientSecret);
  } else {
    params.set('client_id', provider.clientId);
    params.set('client_secret', provider.clientSecret.reveal());
  }
  return headers;
}

/**
 * A token request with client authentication, shaped by the provider's hook.
 * @see RFC 6749 §4.1.3, §6
 */
export function tokenRequest(
  provider: OAuth2Client,
  grant: TokenRequestDraft['grant'],
  params: URLSearchParams,
): TokenRequestDraft {
  const headers = authenticateClient(provider, params);
  const draft: TokenRequestDraft = { grant, url: provider.tokenUrl, params, headers };
  return provider.hooks?.shapeTokenRequest?.(draft) ?? draft;
}

/** Sends a token request as an `application/x-www-form-urlencoded` POST. */
export function sendTokenRequest(draft: TokenRequestDraft, options: CallOptions = {}) {
  return send(
    { method: 'POST', url: draft.url, headers: draft.headers, body: draft.params.toString() },
    options,
  );
}

export interface TokenResponseContext {
  /** Kept when the answer carries no new refresh token (no rotation). */
  readonly previousRefreshToken?: Secret;
  /** Granted scopes when the answer omits `scope` (RFC 6749 §5.1). */
  readonly requestedScopes?: readonly string[];
  readonly now?: Date;
}

/**
 * Interprets a token endpoint answer: errors (RFC 6749 §5.2 and provider shapes), envelopes,
 * expiry, rotation, scopes, and the provider's user id (id_token `sub` for OpenID providers,
 * none with `ignoreTokenUserId`: a separate look-up names the user).
 * @see RFC 6749 §5.1, §5.2, §6
 */
export function processTokenResponse(
  provider: OAuth2Client,
  response: HttpResponse,
  context: TokenResponseContext = {},
): TokenSet {
  const what = `${provider.id} token endpoint`;
  const errorContext = {
    providerId: provider.id,
    what,
    classify: provider.hooks?.classifyError,
    errorString: provider.hooks?.errorString,
  };
  if (response.status < 200 || response.status >= 300) {
    throw errorFromResponse(response, errorContext);
  }
  const raw = parseBody(response);
  const body = provider.hooks?.parseTokenResponse?.(raw, provider.id) ?? raw;
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) {
    if (providerErrorString(body, errorContext.errorString) !== undefined)
      throw errorFromResponse(response, errorContext, body);
    throw new ProviderError('invalid_response', `${what} answered without a usable access_token`, {
      providerId: provider.id,
      status: response.status,
    });
  }
  const data = parsed.data;
  const now = context.now ?? new Date();
  const user = provider.hooks?.extractProviderUserId?.(data) ?? {};
  // A server whose users are named only by a separate look-up: its id_token's `sub` is
  // another id (an account id, not the id of the API's user).
  const providerUserId =
    provider.ignoreTokenUserId === true
      ? undefined
      : (user.providerUserId ??
        (data.id_token === undefined
          ? undefined
          : idTokenSubject(data.id_token, provider.clientId, provider.id)));
  const refreshToken =
    data.refresh_token === undefined ? context.previousRefreshToken : secret(data.refresh_token);
  const scopes = data.scope === undefined ? context.requestedScopes : splitScopes(data.scope);
  const expiresAt = expiresAfter(now, data.expires_in);
  const knownLifetime =
    provider.refreshTokenLifetimeDays === undefined
      ? undefined
      : provider.refreshTokenLifetimeDays * 86_400;
  const refreshTokenExpiresAt =
    data.refresh_token === undefined
      ? undefined
      : expiresAfter(now, data.refresh_token_expires_in ?? knownLifetime);
  const tokenType = data.token_type ?? 'Bearer';
  return {
    accessToken: secret(data.access_token),
    tokenType: tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType,
    metadata: user.metadata ?? {},
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(refreshTokenExpiresAt === undefined ? {} : { refreshTokenExpiresAt }),
    ...(scopes === undefined ? {} : { scopes }),
    ...(providerUserId === undefined ? {} : { providerUserId }),
  };
}

const callOptions = (provider: OAuth2Client, options: CallOptions): CallOptions => ({
  providerId: provider.id,
  ...options,
});

export interface ExchangeCodeInput {
  readonly code: Secret;
  readonly redirectUri?: string;
  readonly codeVerifier?: Secret;
  /** The scopes the authorization asked for, assumed granted when the answer omits `scope`. */
  readonly scopes?: readonly string[];
}

/**
 * Exchanges an authorization code. Never re-sent once the provider may have seen it: only
 * failures before sending are retried.
 * @see RFC 6749 §4.1.3
 * @see RFC 7636 §4.5
 */
export async function exchangeCode(
  provider: OAuth2Client,
  input: ExchangeCodeInput,
  options: CallOptions = {},
): Promise<TokenSet> {
  const params = new URLSearchParams({
    grant_type: 'authorization_code',
    code: input.code.reveal(),
    redirect_uri: input.redirectUri ?? provider.redirectUri,
  });
  if (input.codeVerifier !== undefined) params.set('code_verifier', input.codeVerifier.reveal());
  const draft = tokenRequest(provider, 'authorization_code', params);
  const call = callOptions(provider, options);
  return withRetry('single-use', call, async () =>
    processTokenResponse(provider, await sendTokenRequest(draft, call), {
      ...(input.scopes === undefined ? {} : { requestedScopes: input.scopes }),
    }),
  );
}

/**
 * Exchanges a PIN the user typed (out-of-band, no redirect_uri: client_id, client_secret,
 * code, grant_type). Single use, like a code.
 * @see RFC 6749 §4.1.3
 */
export async function exchangePin(
  provider: OAuth2Client,
  input: { readonly pin: Secret },
  options: CallOptions = {},
): Promise<TokenSet> {
  if (provider.pin !== true) {
    throw new ProviderError('unsupported', `${provider.id} does not use the PIN flow`, {
      providerId: provider.id,
    });
  }
  const params = new URLSearchParams({
    grant_type: 'authorization_code',
    code: input.pin.reveal(),
  });
  const draft = tokenRequest(provider, 'pin', params);
  const call = callOptions(provider, options);
  return withRetry('single-use', call, async () =>
    processTokenResponse(provider, await sendTokenRequest(draft, call)),
  );
}

/**
 * Refreshes an access token. Keeps the old refresh token when the answer has none, takes
 * the new one when rotated. Retries connection failures and 5xx/429 answers, but not a
 * request that may have reached the provider unanswered: a rotating provider may have spent
 * the refresh token already.
 * @see RFC 6749 §6
 */
export async function refreshTokens(
  provider: OAuth2Client,
  input: { readonly refreshToken: Secret; readonly scopes?: readonly string[] },
  options: CallOptions = {},
): Promise<TokenSet> {
  const params = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: input.refreshToken.reveal(),
  });
  if (input.scopes !== undefined && input.scopes.length > 0) {
    params.set('scope', input.scopes.join(provider.scopeSeparator));
  }
  const draft = tokenRequest(provider, 'refresh_token', params);
  const call = callOptions(provider, options);
  return withRetry('refresh', call, async () =>
    processTokenResponse(provider, await sendTokenRequest(draft, call), {
      previousRefreshToken: input.refreshToken,
      ...(input.scopes === undefined ? {} : { requestedScopes: input.scopes }),
    }),
  );
}

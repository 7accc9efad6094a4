import {
  authorizationUrl as protocolAuthorizationUrl,
  errorFromResponse,
  exchangeCode as protocolExchangeCode,
  exchangePin as protocolExchangePin,
  refreshTokens as protocolRefreshTokens,
  revokeTokens as revokeWithRfc7009,
  sendSignedRequest,
  usesPkce as protocolUsesPkce,
  withRetry,
  type AuthorizationUrlInput,
  type CallOptions,
  type ExchangeCodeInput,
  type OAuth1TokenSet,
  type OAuth2Client,
  type RevokeResult,
  type TokenSet,
} from '@tokenlane/oauth';
import type { Secret } from '@tokenlane/vault';
import type { OAuth1Provider, OAuth2Provider, RevokeInput } from './definition.js';

/*
 * The one place the catalog meets @tokenlane/oauth: a configured provider becomes the plain
 * client the protocol calls take, and the provider's own hooks (its revocation, its steps after
 * a link) run here, where the standards have no say. An OAuth1Provider is already an
 * OAuth1Client, so OAuth 1.0a calls without hooks take it as it is.
 */

// One client per provider object, so a cache keyed by the client (an Authorization header, say)
// lives as long as the provider does instead of one call.
const clients = new WeakMap<OAuth2Provider, OAuth2Client>();

/**
 * The provider as an OAuth 2.0 client. A provider that declares an identity look-up names its
 * users only through it, so its token answers' user ids are ignored.
 */
export function oauth2Client(provider: OAuth2Provider): OAuth2Client {
  let client = clients.get(provider);
  if (client === undefined) {
    client = { ...provider, ignoreTokenUserId: provider.identity !== undefined };
    clients.set(provider, client);
  }
  return client;
}

/** Whether links to this provider should carry a PKCE challenge. */
export function usesPkce(provider: OAuth2Provider): boolean {
  return protocolUsesPkce(oauth2Client(provider));
}

/** The URL to send the user to. @see RFC 6749 §4.1.1 */
export function authorizationUrl(provider: OAuth2Provider, input: AuthorizationUrlInput): string {
  return protocolAuthorizationUrl(oauth2Client(provider), input);
}

/** Exchanges an authorization code. @see RFC 6749 §4.1.3 */
export function exchangeCode(
  provider: OAuth2Provider,
  input: ExchangeCodeInput,
  options?: CallOptions,
): Promise<TokenSet> {
  return protocolExchangeCode(oauth2Client(provider), input, options);
}

/** Exchanges a PIN the user typed. @see RFC 6749 §4.1.3 */
export function exchangePin(
  provider: OAuth2Provider,
  input: { readonly pin: Secret },
  options?: CallOptions,
): Promise<TokenSet> {
  return protocolExchangePin(oauth2Client(provider), input, options);
}

/** Refreshes an access token. @see RFC 6749 §6 */
export function refreshTokens(
  provider: OAuth2Provider,
  input: { readonly refreshToken: Secret; readonly scopes?: readonly string[] },
  options?: CallOptions,
): Promise<TokenSet> {
  return protocolRefreshTokens(oauth2Client(provider), input, options);
}

/**
 * Revokes a connection's tokens at the provider: the provider's own revoke/deregister hook,
 * else RFC 7009 for the refresh token and then the access token. Providers without any
 * revocation answer `{ confirmed: false, reason }`.
 * @see RFC 7009 §2
 */
export async function revokeTokens(
  provider: OAuth2Provider,
  input: RevokeInput,
  options: CallOptions = {},
): Promise<RevokeResult> {
  const call: CallOptions = { providerId: provider.id, ...options };
  if (provider.hooks?.revoke) return provider.hooks.revoke(provider, input, call);
  return revokeWithRfc7009(oauth2Client(provider), input, options);
}

/** Runs the provider's step after linking (Garmin's user id look-up), if it has one. */
export async function runOAuth1PostLink(
  provider: OAuth1Provider,
  tokens: OAuth1TokenSet,
  options: CallOptions = {},
): Promise<OAuth1TokenSet> {
  const hook = provider.hooks?.postLink;
  return hook === undefined
    ? tokens
    : hook(provider, tokens, { providerId: provider.id, ...options });
}

/**
 * Deregisters the user at the provider: its hook, else a signed DELETE of `revocationUrl`
 * (Garmin's form; 2xx confirms, 404 means already gone), else `{ confirmed: false }`.
 */
export async function revokeOAuth1Tokens(
  provider: OAuth1Provider,
  tokens: OAuth1TokenSet,
  options: CallOptions = {},
): Promise<RevokeResult> {
  const call: CallOptions = { providerId: provider.id, ...options };
  if (provider.hooks?.revoke) return provider.hooks.revoke(provider, tokens, call);
  const url = provider.revocationUrl;
  if (url === undefined) {
    return { confirmed: false, reason: `${provider.id} offers no deregistration endpoint` };
  }
  return withRetry('idempotent', call, async () => {
    const response = await sendSignedRequest(
      provider,
      { method: 'DELETE', url, token: tokens.token, tokenSecret: tokens.tokenSecret },
      call,
    );
    if (response.status === 404) return { confirmed: true, reason: 'already deregistered' };
    if (response.status >= 200 && response.status < 300) return { confirmed: true };
    throw errorFromResponse(response, {
      providerId: provider.id,
      what: `${provider.id} deregistration`,
    });
  });
}

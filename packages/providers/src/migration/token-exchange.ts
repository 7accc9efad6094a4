import type { Secret } from '@tokenlane/vault';
import type { OAuth1Provider, OAuth2Provider } from '../definition.js';
import { assertNever, ProviderError, type ProviderErrorCode } from '../errors.js';
import type { CallOptions } from '../http.js';
import { sendSignedRequest } from '../oauth1/client.js';
import { processTokenResponse } from '../oauth2/token.js';
import { withRetry } from '../retry.js';
import type { TokenSet } from '../tokens.js';

/** Whether `from` can move its users to `to` without them (an OAuth 1.0a token exchange). */
export function supportsTokenExchange(
  from: { readonly kind: string; readonly tokenExchangeUrl?: string },
  to: { readonly kind: string },
): boolean {
  return from.kind === 'oauth1' && from.tokenExchangeUrl !== undefined && to.kind === 'oauth2';
}

/**
 * Trades one user's OAuth 1.0a token and secret for an OAuth 2.0 token pair of the successor:
 * a POST to `from.tokenExchangeUrl` signed with the consumer credentials and the user's token
 * (RFC 5849 §3), answered like a token endpoint (RFC 6749 §5.1, with
 * `refresh_token_expires_in`). The provider answers once per OAuth 1.0a token, so the request
 * is only re-sent when it never reached the provider.
 */
export async function exchangeOAuth1Token(
  from: OAuth1Provider,
  to: OAuth2Provider,
  tokens: { readonly token: Secret; readonly tokenSecret: Secret },
  options: CallOptions = {},
): Promise<TokenSet> {
  const url = from.tokenExchangeUrl;
  if (url === undefined) {
    throw new ProviderError('unsupported', `${from.id} has no token exchange`, {
      providerId: from.id,
    });
  }
  const response = await withRetry('single-use', options, () =>
    sendSignedRequest(
      from,
      { method: 'POST', url, token: tokens.token, tokenSecret: tokens.tokenSecret },
      { providerId: from.id, ...options },
    ),
  );
  return processTokenResponse(to, response);
}

/**
 * What a refused exchange means for the connection:
 * - `grant_gone`: the user's OAuth 1.0a grant no longer exists (revoked, or already exchanged):
 *   only the user can link again, at the successor;
 * - `transient`: try again later (5xx, 429, timeouts, network);
 * - `credentials`: our consumer credentials were refused: every exchange would fail alike;
 * - `refused`: anything else; reported as a failure of that connection.
 */
export type TokenExchangeRefusal = 'grant_gone' | 'transient' | 'credentials' | 'refused';

/**
 * Classifies an exchange refusal. A signed request whose token is unknown answers 401
 * (RFC 5849 §3.2), so `unauthorized` is the user's grant here, not our client: a bad consumer
 * key shows up as `invalid_client` where the provider says so.
 */
export function tokenExchangeRefusal(code: ProviderErrorCode): TokenExchangeRefusal {
  switch (code) {
    case 'invalid_grant':
    case 'unauthorized':
    case 'access_denied':
      return 'grant_gone';
    case 'rate_limited':
    case 'provider_unavailable':
    case 'timeout':
    case 'network':
      return 'transient';
    case 'invalid_client':
      return 'credentials';
    case 'invalid_request':
    case 'invalid_scope':
    case 'invalid_response':
    case 'unsupported':
    case 'provider_retired':
      return 'refused';
    default:
      return assertNever(code);
  }
}

import {
  type CallOptions,
  ProviderError,
  assertNever,
  processTokenResponse,
  sendSignedRequest,
  withRetry,
} from '@tokenlane/oauth';
import type { Secret } from '@tokenlane/vault';
import type { OAuth1Provider, OAuth2Provider } from '../definition.js';
import type { TokenSet } from '../token-set.js';
import { oauth1RefusalCause } from '../oauth1/grant-check.js';
import { oauth2Client } from '../protocol.js';

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
 * `refresh_token_expires_in`). Within one call the request is only re-sent when it never
 * reached the provider; an answer lost after that is the caller's to retry (no source says
 * Garmin exchanges a token only once, and its migration notes say the OAuth 1.0a tokens stay
 * valid after the exchange).
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
  return processTokenResponse(oauth2Client(to), response);
}

/**
 * What a refused exchange means for the connection:
 * - `grant`: the answer is about a token (a 401, `invalid_grant`, a token problem). On OAuth 1.0a
 *   our own bad signature or clock answers the same way, so this is a suspicion to check
 *   (`checkOAuth1Grant`), never by itself a reason to send the user to re-consent;
 * - `credentials`: the provider names our consumer key, secret or signature;
 * - `clock`: the provider names our timestamp or nonce;
 * - `transient`: try again later (5xx, 429, timeouts, network);
 * - `refused`: anything else; reported as a failure of that connection.
 */
export type TokenExchangeRefusal = 'grant' | 'credentials' | 'clock' | 'transient' | 'refused';

/** Classifies an exchange refusal from its code and the provider's own error string. */
export function tokenExchangeRefusal(error: ProviderError): TokenExchangeRefusal {
  const cause = oauth1RefusalCause(error);
  if (cause !== 'unclear') return cause;
  switch (error.code) {
    case 'invalid_grant':
    case 'unauthorized':
    case 'access_denied':
      return 'grant';
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
      return assertNever(error.code);
  }
}

import {
  type CallOptions,
  errorFromResponse,
  parseBody,
  sendBearerRequest,
  userIdMember,
  withRetry,
} from '@tokenlane/oauth';
import { bearerRevoke } from '../oauth2/bearer-revoke.js';
import type { TokenSet } from '../token-set.js';
import type {
  OAuth2Definition,
  OAuth2Provider,
  PostLinkContext,
  ProviderUserInfo,
} from '../definition.js';

/** Source: https://www.polar.com/accesslink-api/ ("https://www.polaraccesslink.com/v3/…") */
const POLAR_API = 'https://www.polaraccesslink.com';

/** Polar's token answer names the user in `x_user_id` (a number). */
export function polarUserId(body: Readonly<Record<string, unknown>>): ProviderUserInfo {
  const id = userIdMember(body, 'x_user_id');
  return id === undefined ? {} : { providerUserId: id };
}

/**
 * Registers the user with our `member-id` before any data can be read; 409 means the user is
 * registered already, which is what we wanted.
 */
export async function registerPolarUser(
  provider: OAuth2Provider,
  tokens: TokenSet,
  context: PostLinkContext,
  options: CallOptions,
): Promise<TokenSet> {
  const url = `${provider.apiBaseUrl ?? POLAR_API}/v3/users`;
  return withRetry('idempotent', options, async () => {
    const response = await sendBearerRequest(
      {
        method: 'POST',
        url,
        accessToken: tokens.accessToken,
        json: { 'member-id': context.memberId },
      },
      options,
    );
    if (response.status === 409) return tokens;
    if (response.status >= 200 && response.status < 300) {
      const body = parseBody(response);
      const id =
        typeof body === 'object' && body !== null
          ? userIdMember(body as Record<string, unknown>, 'polar-user-id')
          : undefined;
      return tokens.providerUserId !== undefined || id === undefined
        ? tokens
        : { ...tokens, providerUserId: id };
    }
    throw errorFromResponse(response, { providerId: provider.id, what: 'polar user registration' });
  });
}

// Polar AccessLink v3: long-lived access tokens (check expires_in), no refresh tokens; the
// partner deregisters a user with DELETE /v3/users/{user-id}.
// Sources: https://www.polar.com/accesslink-api/#authentication (Basic client auth, x_user_id)
//   https://www.polar.com/accesslink-api/#register-user (POST /v3/users {member-id})
//   https://www.polar.com/accesslink-api/#delete-user
export const polar = {
  kind: 'oauth2',
  id: 'polar',
  displayName: 'Polar',
  authorizationUrl: 'https://flow.polar.com/oauth2/authorization',
  tokenUrl: 'https://polarremote.com/v2/oauth2/token',
  apiBaseUrl: POLAR_API,
  // No rateLimits: no published Polar AccessLink rate limit was found (searched Polar's and
  // third parties' pages, checked 2026-12-06; POLAR_API's reference names none).
  // Set them in the providers file if Polar gives your app one.
  scopes: ['accesslink.read_all'],
  scopeSeparator: ' ',
  tokenEndpointAuthMethod: 'client_secret_basic',
  // Off, not refused: the provider's authorization parameters
  // (https://www.polar.com/accesslink-api/#authentication) list no code_challenge, and no source
  // shows its server accepting one. RFC 6749 §3.1 says unknown parameters are ignored; turn
  // this on once a live link with PKCE is seen to complete.
  pkce: 'none',
  notifications: {
    format: 'polar',
    events: [],
    verification: 'Polar-Webhook-Signature = hex HMAC-SHA256(webhookSecret, body)',
  },
  hooks: {
    extractProviderUserId: polarUserId,
    postLink: registerPolarUser,
    revoke: bearerRevoke('DELETE', (provider, input) =>
      input.providerUserId === undefined
        ? undefined
        : `${provider.apiBaseUrl ?? POLAR_API}/v3/users/${encodeURIComponent(input.providerUserId)}`,
    ),
  },
} satisfies OAuth2Definition;

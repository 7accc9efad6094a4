import { type CallOptions, errorFromResponse, send, withRetry } from '@tokenlane/oauth';
import type {
  AuthorizationUrlInput,
  OAuth2Definition,
  OAuth2Provider,
  RevokeInput,
  RevokeResult,
} from '../definition.js';

/** Works with Nest's authorization URL carried only client_id and state: no redirect. */
export function nestLegacyAuthorizationParams(
  params: Record<string, string>,
  input: AuthorizationUrlInput,
): Record<string, string> {
  return { client_id: params.client_id ?? '', state: input.state };
}

/** Deletes the access token itself: DELETE /oauth2/access_tokens/{token}. */
export async function nestLegacyRevoke(
  provider: OAuth2Provider,
  input: RevokeInput,
  options: CallOptions,
): Promise<RevokeResult> {
  const base = provider.revocationUrl;
  if (base === undefined || input.accessToken === undefined) {
    return { confirmed: false, reason: 'nest-legacy revocation needs the access token' };
  }
  const url = `${base}/${encodeURIComponent(input.accessToken.reveal())}`;
  return withRetry('idempotent', options, async () => {
    const response = await send({ method: 'DELETE', url }, options);
    if (response.status === 404) return { confirmed: true, reason: 'already revoked' };
    if (response.status >= 200 && response.status < 300) return { confirmed: true };
    throw errorFromResponse(response, { providerId: provider.id, what: 'nest-legacy revocation' });
  });
}

// Works with Nest (retired by Google): the PIN flow. The user authorizes without a redirect
// URI, is shown a PIN, and we exchange it as `code` with client_id/client_secret in the form.
// Access tokens are long-lived (no expires_in refresh), no refresh token.
// Sources: https://developers.nest.com/guides/api/how-to-auth (archived; PIN authorization)
//   https://developers.nest.com/reference/api-oauth (token exchange, DELETE access_tokens) (?)
export const nestLegacy = {
  kind: 'oauth2',
  id: 'nest-legacy',
  displayName: 'Works with Nest (legacy, PIN)',
  authorizationUrl: 'https://home.nest.com/login/oauth2',
  tokenUrl: 'https://api.home.nest.com/oauth2/access_token',
  revocationUrl: 'https://api.home.nest.com/oauth2/access_tokens',
  // The Works with Nest data API (REST/streaming), retired with the program.
  // Source: https://developers.nest.com/guides/api/rest-guide (archived)
  apiBaseUrl: 'https://developer-api.nest.com',
  scopes: [],
  scopeSeparator: ' ',
  tokenEndpointAuthMethod: 'client_secret_post',
  pkce: 'none',
  pin: true,
  deprecated: { note: 'Works with Nest is retired; kept for existing links only' },
  // Works with Nest stopped on 2023-09-29. Google's Nest help page: "Starting September 29,
  // 2023, all Works with Nest connections will stop working"
  // (https://support.google.com/googlenest/answer/9293712, as quoted on 2023-04-08 in
  // openhab/openhab-addons#14761 and on 2023-08-12 in #15418, which removed Works with Nest
  // for it; checked 2026-12-06). The developers.nest.com notice says only "We're retiring
  // Works with Nest" (https://developers.nest.com/support/release-notes). A 2025-12-06
  // article giving 2024-09-29 (factorytechnews.com, after Inc.) cites no Google source.
  sunsetAt: '2023-09-29',
  successor: 'google-nest',
  hooks: { authorizationUrlParams: nestLegacyAuthorizationParams, revoke: nestLegacyRevoke },
} satisfies OAuth2Definition;

import { z } from 'zod';
import type {
  OAuth2Provider,
  OAuth2Definition,
  ProviderUserInfo,
  RevokeInput,
  RevokeResult,
} from '../definition.js';
import { bearerIdentity } from '../oauth2/identity.js';
import { errorFromResponse } from '../classify.js';
import { send, type CallOptions } from '../http.js';
import { withRetry } from '../retry.js';

/** Oura revokes with the access token as a query parameter, as its docs show. */
export async function ouraRevoke(
  provider: OAuth2Provider,
  input: RevokeInput,
  options: CallOptions,
): Promise<RevokeResult> {
  const base = provider.revocationUrl;
  if (base === undefined || input.accessToken === undefined) {
    return { confirmed: false, reason: 'oura revocation needs an access token' };
  }
  const url = new URL(base);
  url.searchParams.set('access_token', input.accessToken.reveal());
  return withRetry('idempotent', options, async () => {
    const response = await send({ method: 'POST', url: url.href }, options);
    if (response.status >= 200 && response.status < 300) return { confirmed: true };
    throw errorFromResponse(response, { providerId: provider.id, what: 'oura revocation' });
  });
}

export const OURA_API = 'https://api.ouraring.com';

const personalInfo = z.looseObject({ id: z.string().min(1) });

/** `GET /v2/usercollection/personal_info` → `{id, age, weight, height, biological_sex, email}`. */
export function ouraPersonalInfo(body: unknown): ProviderUserInfo | undefined {
  const parsed = personalInfo.safeParse(body);
  return parsed.success ? { providerUserId: parsed.data.id } : undefined;
}

// Oura API v2: refresh tokens are single use; errors are RFC 7807 plus RFC 6749 members.
// Sources: https://cloud.ouraring.com/docs/authentication
//   https://cloud.ouraring.com/docs/error-handling
//   https://cloud.ouraring.com/v2/docs#operation/Single_Personal_Info_Document_v2_usercollection_personal_info_get
//   (the user id, looked up after the link)
//   client_id/client_secret as form members (?); revoke at /oauth/revoke?access_token= (?)
export const oura = {
  kind: 'oauth2',
  id: 'oura',
  displayName: 'Oura',
  authorizationUrl: 'https://cloud.ouraring.com/oauth/authorize',
  tokenUrl: 'https://api.ouraring.com/oauth/token',
  revocationUrl: 'https://api.ouraring.com/oauth/revoke',
  apiBaseUrl: OURA_API,
  scopes: ['personal', 'daily', 'heartrate', 'workout', 'session', 'spo2'],
  scopeSeparator: ' ',
  tokenEndpointAuthMethod: 'client_secret_post',
  // Off, not refused: the provider's authorization parameters (https://cloud.ouraring.com/docs/authentication) list no
  // code_challenge, and no source shows its server accepting one. RFC 6749 §3.1 says unknown
  // parameters are ignored; turn this on once a live link with PKCE is seen to complete.
  pkce: 'none',
  notifications: {
    format: 'oura',
    events: [],
    verification:
      'x-oura-signature = hex HMAC-SHA256(clientSecret, x-oura-timestamp + body); GET ?verification_token=<webhookSecret>&challenge',
  },
  hooks: {
    revoke: ouraRevoke,
    postLink: bearerIdentity(
      (provider) => `${provider.apiBaseUrl ?? OURA_API}/v2/usercollection/personal_info`,
      ouraPersonalInfo,
    ),
  },
} satisfies OAuth2Definition;

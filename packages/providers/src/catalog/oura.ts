import { type CallOptions, errorFromResponse, send, withRetry } from '@tokenlane/oauth';
import { z } from 'zod';
import type {
  OAuth2Definition,
  OAuth2EndpointSet,
  OAuth2Provider,
  ProviderUserInfo,
  RevokeInput,
  RevokeResult,
} from '../definition.js';
import { bearerIdentity } from '../oauth2/identity.js';

/** Oura's old server revokes with the access token as a query parameter, as its docs show. */
export async function ouraLegacyRevoke(
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

/** Source: https://cloud.ouraring.com/v2/docs (servers: https://api.ouraring.com) */
export const OURA_API = 'https://api.ouraring.com';

const personalInfo = z.looseObject({ id: z.string().min(1) });

/** `GET /v2/usercollection/personal_info` → `{id, age, weight, height, biological_sex, email}`. */
export function ouraPersonalInfo(body: unknown): ProviderUserInfo | undefined {
  const parsed = personalInfo.safeParse(body);
  return parsed.success ? { providerUserId: parsed.data.id } : undefined;
}

// Oura's first OAuth server, the one its public docs still name, for apps registered on the
// old portal (cloud.ouraring.com/oauth/applications): `"endpoints": "legacy"`. Exactly what
// tokenlane used before the new server became the default.
// Sources: https://cloud.ouraring.com/docs/authentication (hosts; scopes, `spo2` as named
//   there and enforced by the API per oomol-lab/open-connector#393, 2026-08-21)
//   client_id/client_secret as form members (?); revoke at /oauth/revoke?access_token= (?)
export const OURA_LEGACY_SERVER = {
  authorizationUrl: 'https://cloud.ouraring.com/oauth/authorize',
  tokenUrl: 'https://api.ouraring.com/oauth/token',
  revocationUrl: 'https://api.ouraring.com/oauth/revoke',
  scopes: ['personal', 'daily', 'heartrate', 'workout', 'session', 'spo2'],
  tokenEndpointAuthMethod: 'client_secret_post',
  // The old authorization parameters list no code_challenge.
  pkce: 'none',
  revoke: ouraLegacyRevoke,
} satisfies OAuth2EndpointSet;

const OURA_OAUTH = 'https://moi.ouraring.com/oauth/v2/ext';

// Oura API v2: refresh tokens are single use; errors are RFC 7807 plus RFC 6749 members; the
// data API (api.ouraring.com) is the same for both servers.
// Sources: https://cloud.ouraring.com/docs/authentication
//   https://cloud.ouraring.com/docs/error-handling
// The OAuth server of apps from Oura's current portal (developer.ouraring.com). Oura's own
// pages do not describe it yet; every source is third party (checked 2026-12-06):
//   [#68] louispires/Oura-Home-Assistant-Integration#68 (2026-08-12): new-portal apps get
//     400 invalid_request from api.ouraring.com/oauth/token; …/oauth/v2/ext/oauth-token works.
//   [#71] the same repository's #71 (2026-08-14): the old endpoint answers their code
//     exchange 401; the redirect carries iss=https://moi.ouraring.com/oauth/v2/ext/oauth-anonymous.
//   [disc] a snapshot, taken 2026-09-21, of that issuer's discovery document
//     (https://moi.ouraring.com/oauth/v2/ext/oauth-anonymous/.well-known/openid-configuration):
//     oauth-authorize, oauth-token, oauth-revoke; client_secret_post and client_secret_basic;
//     PKCE S256 (and plain), not required; scopes_supported extapi:personal, daily,
//     heartrate, session, workout, tag, stress, heart_health, spo2, biomarkers, metabolic,
//     research, and openid, profile, email; no offline_access (refresh tokens come anyway).
//   [oc] oomol-lab/open-connector#393 (2026-08-21): Oura's OpenAPI scope list is stale:
//     `spo2`, not `spo2Daily` (so tgrk/ex_oura#36, 2025-08-31); `stress` (daily resilience)
//     and `heart_health` (cardiovascular age, VO2 max) are missing from it; granted scopes
//     come back as extapi:<name>.
// Scopes: this authorize endpoint takes the extapi: names [disc]; bare ones are reported
// silently not granted there. Defaults: the data the old defaults reached, plus stress and
// heart_health, which [oc] found guarding data once read with `daily` (another third party
// says `daily` still covers it; asking for both keeps it either way). No ring_configuration:
// [oc] names it, [disc] does not list it; add it in `scopes` if it is granted to you.
export const oura = {
  kind: 'oauth2',
  id: 'oura',
  displayName: 'Oura',
  authorizationUrl: `${OURA_OAUTH}/oauth-authorize`,
  tokenUrl: `${OURA_OAUTH}/oauth-token`,
  // The revocation endpoint [disc] names, called as RFC 7009 says (a POST of `token`, the
  // client authenticated as at the token endpoint), as a third-party client of this server
  // does; no source shows Oura's answer to it (?). The query-string form was the old server's.
  revocationUrl: `${OURA_OAUTH}/oauth-revoke`,
  // Every redirect carries `iss` [#71, disc]: one without it, or with another, is refused.
  issuer: `${OURA_OAUTH}/oauth-anonymous`,
  authorizationResponseIss: true,
  apiBaseUrl: OURA_API,
  // 5,000 requests per 5 minutes, per access token (one user of the app). The figure is in the
  // overview of https://cloud.ouraring.com/v2/docs as copied by third parties
  // (https://glama.ai/mcp/servers/@pokidyshev/oura-mcp docs/oura-docs.md;
  // api-evangelist/oura-ring rate-limits.yml: "per access token"); Terra's help pages say Oura
  // also limits each app, with no number published (checked 2026-12-06).
  rateLimits: [{ requests: 5_000, perSeconds: 300, per: 'connection' }],
  scopes: [
    'extapi:personal',
    'extapi:daily',
    'extapi:heartrate',
    'extapi:workout',
    'extapi:session',
    'extapi:spo2',
    'extapi:stress',
    'extapi:heart_health',
  ],
  scopeSeparator: ' ',
  // Both are offered [disc]; Basic is the one RFC 6749 §2.3.1 requires every server to take
  // (body credentials are NOT RECOMMENDED there), and a third party reports it working on
  // oauth-token (2026-09).
  tokenEndpointAuthMethod: 'client_secret_basic',
  // The server takes S256 without demanding it [disc]; tokenlane sends it on every link.
  pkce: 'required',
  endpointSets: { legacy: OURA_LEGACY_SERVER },
  notifications: {
    format: 'oura',
    events: [],
    verification:
      'x-oura-signature = hex HMAC-SHA256(clientSecret, x-oura-timestamp + body); GET ?verification_token=<webhookSecret>&challenge',
  },
  hooks: {
    // Sources: https://cloud.ouraring.com/v2/docs#operation/Single_Personal_Info_Document_v2_usercollection_personal_info_get
    postLink: bearerIdentity(
      (provider) => `${provider.apiBaseUrl ?? OURA_API}/v2/usercollection/personal_info`,
      ouraPersonalInfo,
    ),
  },
} satisfies OAuth2Definition;

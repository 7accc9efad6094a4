import type { OAuth2Definition, RegionUrls } from '../definition.js';

const host = (origin: string) => ({
  authorizationUrl: `${origin}/v2/oauth2/login`,
  tokenUrl: `${origin}/v2/oauth2/token`,
  apiBaseUrl: origin,
});

/** Dexcom's documented hosts; choose one with `"region"` in the providers file. */
export const DEXCOM_REGIONS = {
  // Production hosts by region as Dexcom's API v3 endpoint overview lists them: US, "EU and
  // Outside of US", Japan (https://developer.dexcom.com/docs/dexcomv3/endpoint-overview,
  // read 2026-12-06).
  us: host('https://api.dexcom.com'),
  eu: host('https://api.dexcom.eu'),
  jp: host('https://api.dexcom.jp'),
  sandbox: host('https://sandbox-api.dexcom.com'),
} satisfies Record<string, RegionUrls>;

// Dexcom API v2: `offline_access` is the one accepted scope; no revocation endpoint found.
// The default host is the US one; `"region": "eu" | "jp" | "sandbox"` selects another.
// Sources: https://developer.dexcom.com/docs/dexcom/authentication
//   https://developer.dexcom.com/docs/dexcomv2/endpoint-overview (production and sandbox base URLs)
//   https://developer.dexcom.com/docs/dexcomv3/endpoint-overview (US, EU and Japan hosts;
//   read 2026-12-06)
//   client_id/client_secret as form members (?): the docs list them as token request
//   parameters; not confirmed that Basic is refused.
export const dexcom = {
  kind: 'oauth2',
  id: 'dexcom',
  displayName: 'Dexcom',
  authorizationUrl: DEXCOM_REGIONS.us.authorizationUrl,
  tokenUrl: DEXCOM_REGIONS.us.tokenUrl,
  apiBaseUrl: DEXCOM_REGIONS.us.apiBaseUrl,
  regions: DEXCOM_REGIONS,
  // 60,000 calls an hour per app (HTTP 429 beyond). Source:
  // https://developer.dexcom.com/docs/dexcomv2/endpoint-overview ("Request Rate Limits")
  // (checked 2026-12-06)
  rateLimits: [{ requests: 60_000, perSeconds: 3_600 }],
  scopes: ['offline_access'],
  scopeSeparator: ' ',
  tokenEndpointAuthMethod: 'client_secret_post',
  // Off, not refused: the provider's authorization parameters (https://developer.dexcom.com/docs/dexcom/authentication) list no
  // code_challenge, and no source shows its server accepting one. RFC 6749 §3.1 says unknown
  // parameters are ignored; turn this on once a live link with PKCE is seen to complete.
  pkce: 'none',
} satisfies OAuth2Definition;

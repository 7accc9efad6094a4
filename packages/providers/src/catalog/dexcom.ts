import type { OAuth2Definition } from '../definition.js';

// Dexcom API v2: `offline_access` is the one accepted scope; no revocation endpoint found.
// Sources: https://developer.dexcom.com/docs/dexcom/authentication
//   client_id/client_secret as form members (?): the docs list them as token request
//   parameters; not confirmed that Basic is refused.
export const dexcom = {
  kind: 'oauth2',
  id: 'dexcom',
  displayName: 'Dexcom',
  authorizationUrl: 'https://api.dexcom.com/v2/oauth2/login',
  tokenUrl: 'https://api.dexcom.com/v2/oauth2/token',
  scopes: ['offline_access'],
  scopeSeparator: ' ',
  tokenEndpointAuthMethod: 'client_secret_post',
  // Off, not refused: the provider's authorization parameters (https://developer.dexcom.com/docs/dexcom/authentication) list no
  // code_challenge, and no source shows its server accepting one. RFC 6749 §3.1 says unknown
  // parameters are ignored; turn this on once a live link with PKCE is seen to complete.
  pkce: 'none',
} satisfies OAuth2Definition;

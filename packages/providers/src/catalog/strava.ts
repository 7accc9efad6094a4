import { z } from 'zod';
import type { OAuth2Definition, ProviderUserInfo } from '../definition.js';
import { bearerRevoke } from '../oauth2/revoke.js';

const athlete = z.looseObject({
  id: z.union([z.number(), z.string().min(1)]),
  username: z.string().nullish(),
});

/** Strava's token answer carries an `athlete` summary; its id is the user id. */
export function stravaAthlete(body: Readonly<Record<string, unknown>>): ProviderUserInfo {
  const parsed = athlete.safeParse(body.athlete);
  if (!parsed.success) return {};
  const { id, username } = parsed.data;
  return {
    providerUserId: String(id),
    metadata: {
      athleteId: id,
      ...(typeof username === 'string' && username !== '' ? { athleteUsername: username } : {}),
    },
  };
}

// Strava API v3: access tokens last 6 h; the refresh token may change on any refresh.
// Sources: https://developers.strava.com/docs/authentication/ (token exchange with body
//   credentials, athlete summary, comma-separated scopes, POST /oauth/deauthorize)
export const strava = {
  kind: 'oauth2',
  id: 'strava',
  displayName: 'Strava',
  authorizationUrl: 'https://www.strava.com/oauth/authorize',
  tokenUrl: 'https://www.strava.com/oauth/token',
  revocationUrl: 'https://www.strava.com/oauth/deauthorize',
  scopes: ['read', 'activity:read_all'],
  scopeSeparator: ',',
  authorizationParams: { approval_prompt: 'auto' },
  tokenEndpointAuthMethod: 'client_secret_post',
  // Off, not refused: the provider's authorization parameters (https://developers.strava.com/docs/authentication/) list no
  // code_challenge, and no source shows its server accepting one. RFC 6749 §3.1 says unknown
  // parameters are ignored; turn this on once a live link with PKCE is seen to complete.
  pkce: 'none',
  notifications: {
    format: 'strava',
    events: ['auth_revoked'],
    verification:
      'unsigned: webhookSecret in the intake URL; GET hub.verify_token=<webhookSecret> echoes hub.challenge',
  },
  hooks: {
    extractProviderUserId: stravaAthlete,
    revoke: bearerRevoke('POST', (provider) => provider.revocationUrl),
  },
} satisfies OAuth2Definition;

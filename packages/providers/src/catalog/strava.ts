import {
  type CallOptions,
  basicAuthorization,
  errorFromResponse,
  send,
  withRetry,
} from '@tokenlane/oauth';
import { z } from 'zod';
import type { OAuth2Definition, ProviderUserInfo } from '../definition.js';
import type { OAuth2Provider, RevokeInput, RevokeResult } from '../definition.js';

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

/**
 * Strava's revocation: `POST /oauth/revoke` with the client's Basic credentials and
 * `token` = the refresh token (the access token when there is none); revoking one revokes
 * both, so one call. An unknown token (already revoked) answers 4xx `invalid_token`-like
 * errors: confirmed.
 */
export async function stravaRevoke(
  provider: OAuth2Provider,
  input: RevokeInput,
  options: CallOptions,
): Promise<RevokeResult> {
  const url = provider.revocationUrl;
  const token = input.refreshToken ?? input.accessToken;
  if (url === undefined || token === undefined) {
    return { confirmed: false, reason: 'strava revocation needs a token' };
  }
  const body = new URLSearchParams({ token: token.reveal() }).toString();
  const headers = {
    authorization: basicAuthorization(provider.clientId, provider.clientSecret),
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  return withRetry('idempotent', options, async () => {
    const response = await send({ method: 'POST', url, headers, body }, options);
    if (response.status >= 200 && response.status < 300) return { confirmed: true };
    const error = errorFromResponse(response, {
      providerId: provider.id,
      what: 'strava revocation',
    });
    if (error.code === 'invalid_grant' || error.code === 'invalid_request') {
      return { confirmed: true, reason: 'already revoked' };
    }
    throw error;
  });
}

// Strava API v3: access tokens last 6 h; the refresh token may change on any refresh.
// Revocation moved to POST /oauth/revoke (Basic client auth, the refresh or access token);
// the old POST /oauth/deauthorize (access token) stops working on 2027-06-01. The stored
// copies of Strava's docs still show only /oauth/deauthorize (?): set `revocationUrl` to
// https://www.strava.com/oauth/deauthorize in the providers file to use the old call's URL.
// Sources: https://developers.strava.com/docs/authentication/ (token exchange with body
//   credentials, athlete summary, comma-separated scopes, revocation)
//   https://developers.strava.com/docs/webhooks/ (athlete events: authorized=false)
export const strava = {
  kind: 'oauth2',
  id: 'strava',
  displayName: 'Strava',
  authorizationUrl: 'https://www.strava.com/oauth/authorize',
  tokenUrl: 'https://www.strava.com/oauth/token',
  revocationUrl: 'https://www.strava.com/oauth/revoke',
  // Source: https://developers.strava.com/docs/reference/ ("Base URL: https://www.strava.com/api/v3")
  apiBaseUrl: 'https://www.strava.com/api/v3',
  // Per application, the overall limit: 200 every 15 minutes and 2,000 a day (windows reset
  // at :00/:15/:30/:45 and at midnight UTC, as these fixed windows do). Strava also limits
  // "non-upload" calls (all but uploads and activity creation) to 100 / 15 min and 1,000 a
  // day; the budget cannot tell endpoints apart, so that lower limit shows up as Strava's own
  // 429, which holds calls back. An app whose calls are all reads may set the lower numbers
  // in the providers file. Source: https://developers.strava.com/docs/rate-limits
  // (checked 2026-12-06)
  rateLimits: [
    { requests: 200, perSeconds: 900 },
    { requests: 2_000, perSeconds: 86_400 },
  ],
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
      'unsigned: webhookSecret in the intake URL; GET hub.verify_token=<verifyToken> echoes hub.challenge',
  },
  hooks: {
    extractProviderUserId: stravaAthlete,
    revoke: stravaRevoke,
  },
} satisfies OAuth2Definition;

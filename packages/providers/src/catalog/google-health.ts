import { z } from 'zod';
import type { OAuth2Definition, ProviderUserInfo } from '../definition.js';
import { googleRevokeOnce } from './google.js';

/** Source: https://developers.google.com/health/reference/rest (service endpoint) */
export const GOOGLE_HEALTH_API = 'https://health.googleapis.com';

const identity = z.looseObject({
  healthUserId: z.string().min(1),
  legacyUserId: z.string().optional(),
});

/**
 * `GET /v4/users/me/identity` → `{name, healthUserId, legacyUserId}`: the Google Health user
 * id (the connection's provider user id), and the Fitbit user id the same person had (empty
 * for users who never had Fitbit), which pairs a new link with the user's old `fitbit`
 * connection.
 */
export function googleHealthIdentity(body: unknown): ProviderUserInfo | undefined {
  const parsed = identity.safeParse(body);
  if (!parsed.success) return undefined;
  const { healthUserId, legacyUserId } = parsed.data;
  return {
    providerUserId: healthUserId,
    metadata: {
      healthUserId,
      ...(legacyUserId === undefined || legacyUserId === '' ? {} : { legacyUserId }),
    },
  };
}

const scope = (name: string) => `https://www.googleapis.com/auth/googlehealth.${name}`;

// Fitbit data through the Google Health API, which replaces the Fitbit Web API in 2026.
// Google OAuth 2.0. Sources: https://developers.google.com/health/migration
//   https://developers.google.com/health/scopes (current names end .readonly / .writeonly;
//   an older version of the page lists bare `.activity_and_fitness` etc.: override `scopes`
//   in the providers file if Google's consent screen refuses these)
//   https://developers.google.com/identity/protocols/oauth2/web-server (access_type=offline,
//   prompt=consent to get a refresh token again; revocation at oauth2.googleapis.com/revoke)
// Who the user is (checked 2026-12-06): only `healthUserId` from users.getIdentity names the
// user, never the id_token's `sub` (the `openid` scope still yields one; it is not read).
// Google documents no relation between the two ids; `healthUserId` is "the Google User
// Identifier in the Google Health APIs", the `{user}` of its resource names, and what a
// subscription's `user` and each webhook notification's `healthUserId` carry, so only it can
// match a notice to its connection.
//   https://developers.google.com/health/reference/rest/v4/users/getIdentity
//   https://developers.google.com/health/reference/rest/v4/Subscription (`user`: "the public
//   healthUserId as returned by the GetIdentity action")
//   https://developers.google.com/health/notifications (notification `data.healthUserId`)
// Notifications (checked 2026-12-06): HTTPS POSTs to a registered subscriber, carrying the
// subscriber's `endpointAuthorization` secret in `Authorization`, about data changes only
// (`operation` UPSERT or DELETE of a data type's points). No notice says a user revoked
// access, so there is no intake: a revoked grant shows at the next refresh (`invalid_grant`).
//   https://developers.google.com/health/webhooks
//   https://developers.google.com/health/reference/rest/v4/projects.subscribers/create
export const googleHealth = {
  kind: 'oauth2',
  id: 'google-health',
  displayName: 'Google Health API (Fitbit)',
  authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  // Google sends `iss` on the authorization response (RFC 9207): its discovery document has
  // authorization_response_iss_parameter_supported
  // (https://developers.google.com/identity/openid-connect/reference), so a redirect without
  // one is refused.
  issuer: 'https://accounts.google.com',
  authorizationResponseIss: true,
  revocationUrl: 'https://oauth2.googleapis.com/revoke',
  apiBaseUrl: GOOGLE_HEALTH_API,
  // Not Fitbit's 150 an hour: the Google Health API allows 300 requests a minute per user and
  // 120,000 a minute and 86.4 M a day per project.
  // Source: https://developers.google.com/health/rate-limits (checked 2026-12-06)
  rateLimits: [
    { requests: 300, perSeconds: 60, per: 'connection' },
    { requests: 120_000, perSeconds: 60 },
    { requests: 86_400_000, perSeconds: 86_400 },
  ],
  scopes: [
    'openid',
    scope('activity_and_fitness.readonly'),
    scope('health_metrics_and_measurements.readonly'),
    scope('sleep.readonly'),
    scope('profile.readonly'),
  ],
  scopeSeparator: ' ',
  authorizationParams: { access_type: 'offline', prompt: 'consent' },
  tokenEndpointAuthMethod: 'client_secret_post',
  // Refresh tokens of apps in Testing status expire after 7 days: set
  // `"refreshTokenLifetimeDays": 7` in the providers file while the app is in Testing.
  pkce: 'supported',
  identity: {
    url: (provider) => `${provider.apiBaseUrl ?? GOOGLE_HEALTH_API}/v4/users/me/identity`,
    read: googleHealthIdentity,
  },
  hooks: { revoke: googleRevokeOnce },
} satisfies OAuth2Definition;

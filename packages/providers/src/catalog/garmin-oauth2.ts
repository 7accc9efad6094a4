import {
  type CallOptions,
  type HttpResponse,
  ProviderError,
  errorFromResponse,
  parseBody,
  sendBearerRequest,
  withRetry,
} from '@tokenlane/oauth';
import { z } from 'zod';
import { bearerRevoke } from '../oauth2/bearer-revoke.js';
import type { TokenSet } from '../token-set.js';
import type { NotificationSpec, OAuth2Definition, OAuth2Provider } from '../definition.js';

/**
 * The Health API host: pull endpoints (`/wellness-api/rest/…`), the user id and registration
 * calls, and the `callbackURL` of every push notification are all under it.
 * Source: https://developerportal.garmin.com/developer-programs/content/829/programs-docs
 */
export const GARMIN_API = 'https://apis.garmin.com';
export const GARMIN_USER_ID_PATH = '/wellness-api/rest/user/id';

/** Deregistration and permission pushes; unsigned, so the intake URL holds `webhookSecret`. */
export const GARMIN_NOTIFICATIONS = {
  format: 'garmin',
  events: ['deregistration', 'permissions_changed'],
  verification: 'unsigned (garmin-client-id header only): webhookSecret in the intake URL',
} as const satisfies NotificationSpec;

/** Garmin's `GET /wellness-api/rest/user/id` answer, `{ "userId": "…" }`. */
export function processGarminUserId(providerId: string, response: HttpResponse): string {
  if (response.status < 200 || response.status >= 300) {
    throw errorFromResponse(response, { providerId, what: `${providerId} user id look-up` });
  }
  const parsed = z.object({ userId: z.string().min(1) }).safeParse(parseBody(response));
  if (!parsed.success) {
    throw new ProviderError('invalid_response', `${providerId} user id answer lacks userId`, {
      providerId,
    });
  }
  return parsed.data.userId;
}

/** Garmin identifies users by a userId fetched after linking, not from the token answer. */
export async function garminOAuth2UserId(
  provider: OAuth2Provider,
  tokens: TokenSet,
  _context: unknown,
  options: CallOptions,
): Promise<TokenSet> {
  const url = `${provider.apiBaseUrl ?? GARMIN_API}${GARMIN_USER_ID_PATH}`;
  const providerUserId = await withRetry('idempotent', options, async () =>
    processGarminUserId(
      provider.id,
      await sendBearerRequest({ method: 'GET', url, accessToken: tokens.accessToken }, options),
    ),
  );
  return { ...tokens, providerUserId };
}

// Garmin Connect Developer Program, OAuth 2.0 with PKCE (S256 required). The token answer
// has expires_in and refresh_token_expires_in; store the new refresh token every time.
// Users are deregistered with DELETE /wellness-api/rest/user/registration.
// Sources: https://developerportal.garmin.com/developer-programs/content/829/programs-docs
//   (OAuth2PKCE.pdf, Developer Program Start Guide §3.2 user id)
//   client_id/client_secret as form members (?): seen in open-source integrations only.
export const garminOAuth2 = {
  kind: 'oauth2',
  id: 'garmin-oauth2',
  displayName: 'Garmin Connect',
  authorizationUrl: 'https://connect.garmin.com/oauth2Confirm',
  tokenUrl: 'https://diauth.garmin.com/di-oauth2-service/oauth/token',
  revocationUrl: `${GARMIN_API}/wellness-api/rest/user/registration`,
  apiBaseUrl: GARMIN_API,
  // No rateLimits: none published (see garmin.ts, checked 2026-12-06).
  scopes: [],
  scopeSeparator: ' ',
  tokenEndpointAuthMethod: 'client_secret_post',
  pkce: 'required',
  notifications: GARMIN_NOTIFICATIONS,
  hooks: {
    postLink: garminOAuth2UserId,
    revoke: bearerRevoke('DELETE', (provider) => provider.revocationUrl),
  },
} satisfies OAuth2Definition;

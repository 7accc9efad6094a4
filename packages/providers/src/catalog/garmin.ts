import {
  type CallOptions,
  type OAuth1TokenSet,
  sendSignedRequest,
  withRetry,
} from '@tokenlane/oauth';
import type { OAuth1Definition, OAuth1Provider } from '../definition.js';
import {
  GARMIN_API,
  GARMIN_NOTIFICATIONS,
  GARMIN_USER_ID_PATH,
  processGarminUserId,
} from './garmin-oauth2.js';

/** Looks up the Garmin userId with a signed request once the user has linked. */
export async function garminOAuth1UserId(
  provider: OAuth1Provider,
  tokens: OAuth1TokenSet,
  options: CallOptions,
): Promise<OAuth1TokenSet> {
  const url = `${provider.apiBaseUrl ?? GARMIN_API}${GARMIN_USER_ID_PATH}`;
  const providerUserId = await withRetry('idempotent', options, async () =>
    processGarminUserId(
      provider.id,
      await sendSignedRequest(
        provider,
        { method: 'GET', url, token: tokens.token, tokenSecret: tokens.tokenSecret },
        options,
      ),
    ),
  );
  return { ...tokens, providerUserId };
}

/**
 * Garmin's OAuth 1.0a → 2.0 exchange: a signed POST (consumer key and secret, the user's token
 * and secret) answering `{access_token, refresh_token, expires_in, refresh_token_expires_in}`.
 */
export const GARMIN_TOKEN_EXCHANGE_URL =
  'https://apis.garmin.com/partner-gateway/rest/user/token-exchange';

// Garmin Connect, legacy OAuth 1.0a (HMAC-SHA1). Tokens do not expire (?). Garmin retires
// OAuth 1.0a on 2026-12-31; new links should use garmin-oauth2. Deregistration is a signed
// DELETE of the user registration (the default for an OAuth 1.0a revocationUrl).
// Sources: https://developerportal.garmin.com/developer-programs/content/829/programs-docs
//   (Garmin Connect API: User Authorization (OAuth), Developer Program Start Guide, and the
//   OAuth 2.0 migration guide: OAuth 1.0a ends 2026-12-31; token exchange without the user)
//   Token exchange as open-source integrations call it:
//   https://github.com/ryanroundhouse/mood-api (OAUTH2_NEXT_STEPS.md, migrate-to-oauth2)
export const garmin = {
  kind: 'oauth1',
  id: 'garmin',
  displayName: 'Garmin Connect (OAuth 1.0a, legacy)',
  requestTokenUrl: 'https://connectapi.garmin.com/oauth-service/oauth/request_token',
  authorizationUrl: 'https://connect.garmin.com/oauthConfirm',
  accessTokenUrl: 'https://connectapi.garmin.com/oauth-service/oauth/access_token',
  revocationUrl: `${GARMIN_API}/wellness-api/rest/user/registration`,
  apiBaseUrl: GARMIN_API,
  // No rateLimits: no published Health API rate limit was found (searched Garmin's and third
  // parties' pages, checked 2026-12-06; the limits come with the partner agreement). Data
  // arrives by push, so calls are few. Set them in the providers file if Garmin gives one.
  deprecated: {
    note: 'Garmin retires OAuth 1.0a; existing links move to OAuth 2.0 by token exchange, no user action',
  },
  sunsetAt: '2026-12-31',
  successor: 'garmin-oauth2',
  tokenExchangeUrl: GARMIN_TOKEN_EXCHANGE_URL,
  // The user id answers a signed GET while the user's OAuth 1.0a grant lives (Garmin Connect
  // API, "User Endpoints"): the call that tells a dead grant from our own refused signature.
  grantCheckPath: GARMIN_USER_ID_PATH,
  notifications: GARMIN_NOTIFICATIONS,
  hooks: { postLink: garminOAuth1UserId },
} satisfies OAuth1Definition;

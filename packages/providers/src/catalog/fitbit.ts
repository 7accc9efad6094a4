import { userIdMember, type ProviderErrorCode } from '@tokenlane/oauth';
import type { OAuth2Definition, ProviderUserInfo } from '../definition.js';

/** Fitbit's token answer names the user in `user_id`. */
export function fitbitUserId(body: Readonly<Record<string, unknown>>): ProviderUserInfo {
  const id = userIdMember(body, 'user_id');
  return id === undefined ? {} : { providerUserId: id };
}

/** Fitbit names its errors in `{errors:[{errorType}]}` rather than RFC 6749's `{error}`. */
export function fitbitErrorType(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('errors' in body)) return undefined;
  const first: unknown = Array.isArray(body.errors) ? body.errors[0] : undefined;
  if (typeof first !== 'object' || first === null || !('errorType' in first)) return undefined;
  return typeof first.errorType === 'string' ? first.errorType : undefined;
}

// Fitbit's own errorType values; the RFC 6749 ones it also uses (`invalid_grant`, …) are known.
// Source: https://dev.fitbit.com/build/reference/web-api/troubleshooting-guide/error-messages/
const FITBIT_ERROR_TYPES: Readonly<Record<string, ProviderErrorCode>> = {
  system: 'provider_unavailable',
  validation: 'invalid_request',
  request: 'invalid_request',
};

/** Classifies Fitbit's own errorType values; the standard ones are left to the protocol. */
export function classifyFitbitError(body: unknown): ProviderErrorCode | undefined {
  const type = fitbitErrorType(body);
  return type !== undefined && Object.hasOwn(FITBIT_ERROR_TYPES, type)
    ? FITBIT_ERROR_TYPES[type]
    : undefined;
}

// Legacy Fitbit Web API, replaced by the Google Health API in 2026: kept for existing links
// and migration (a fitbit connection cannot be converted; the user re-links google-health).
// Sources: https://dev.fitbit.com/build/reference/web-api/authorization/
//   https://dev.fitbit.com/build/reference/web-api/authorization/refresh-token/ (new pair, single use)
//   https://dev.fitbit.com/build/reference/web-api/authorization/revoke-token/ (RFC 7009)
//   https://dev.fitbit.com/build/reference/web-api/troubleshooting-guide/error-handling/ ({errors:[{errorType}]})
export const fitbit = {
  kind: 'oauth2',
  id: 'fitbit',
  displayName: 'Fitbit (legacy Web API)',
  authorizationUrl: 'https://www.fitbit.com/oauth2/authorize',
  tokenUrl: 'https://api.fitbit.com/oauth2/token',
  revocationUrl: 'https://api.fitbit.com/oauth2/revoke',
  // Every Web API endpoint is under https://api.fitbit.com (`/1/user/-/…`).
  // Source: https://dev.fitbit.com/build/reference/web-api/developer-guide/application-design/
  apiBaseUrl: 'https://api.fitbit.com',
  // 150 requests an hour per user (per grant), resetting at the top of the hour.
  // Sources: https://community.fitbit.com/t5/Web-API-Development/Too-many-request/td-p/1644362
  // (a Fitbit moderator: "150 requests per user per hour"); third party, citing
  // https://dev.fitbit.com/build/reference/web-api/: api-evangelist/fitbit rate-limits.yml
  // (checked 2026-12-06)
  rateLimits: [{ requests: 150, perSeconds: 3_600, per: 'connection' }],
  scopes: ['activity', 'heartrate', 'sleep', 'profile'],
  scopeSeparator: ' ',
  tokenEndpointAuthMethod: 'client_secret_basic',
  pkce: 'supported',
  deprecated: {
    note: 'The Fitbit Web API is retired in favour of the Google Health API; users must re-consent there',
  },
  // Google's own pages disagree: the English and Czech "About the Google Health API" pages say
  // the Fitbit Web API and Fitbit OAuth shut down on 2026-11-02 (answering 410 Gone), an older
  // translation says 2026-10-30, and third-party notes quote 2026-09-30 (the end of support).
  // The shutdown date is used; override `sunsetAt` in the providers file if it moves.
  // Source: https://developers.google.com/health/about
  sunsetAt: '2026-11-02',
  successor: 'google-health',
  notifications: {
    format: 'fitbit',
    events: ['auth_revoked'],
    verification:
      'X-Fitbit-Signature = base64 HMAC-SHA1(clientSecret&, body); verification GET ?verify=<webhookSecret>',
  },
  hooks: {
    extractProviderUserId: fitbitUserId,
    errorString: fitbitErrorType,
    classifyError: classifyFitbitError,
  },
} satisfies OAuth2Definition;

import {
  ProviderError,
  type ProviderErrorCode,
  classifyErrorString,
  userIdMember,
} from '@tokenlane/oauth';
import { z } from 'zod';
import type { OAuth2Definition, ProviderUserInfo, TokenRequestDraft } from '../definition.js';

/** Every Withings token request names its action in the form. */
export function withingsAction(draft: TokenRequestDraft): TokenRequestDraft {
  draft.params.set('action', 'requesttoken');
  return draft;
}

const envelope = z.looseObject({
  status: z.number(),
  body: z.unknown().optional(),
  error: z.string().optional(),
});

/**
 * Withings' `status` (0 = success) and `error` text, as a code. The text often embeds an
 * RFC 6749 error name; the numeric table is from the response_status reference (?).
 */
export function classifyWithings(body: unknown): ProviderErrorCode | undefined {
  const parsed = envelope.safeParse(body);
  if (!parsed.success || parsed.data.status === 0) return undefined;
  const { status, error = '' } = parsed.data;
  const named = /\b(invalid_[a-z]+|unauthorized_client|access_denied)\b/.exec(error)?.[1];
  const fromName = named === undefined ? undefined : classifyErrorString(named);
  if (fromName !== undefined) return fromName;
  if (status === 601) return 'rate_limited';
  if (status === 2554 || status === 2555 || status === 2556) return 'provider_unavailable';
  if (/refresh_token|\bcode\b/i.test(error)) return 'invalid_grant';
  if (status === 100 || status === 101 || status === 102 || status === 200 || status === 401) {
    return 'unauthorized';
  }
  return 'invalid_request';
}

/** Unwraps `{status: 0, body: {…}}`; a non-zero status is a ProviderError. */
export function unwrapWithings(body: unknown, providerId: string): unknown {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return body;
  if (parsed.data.status === 0) return parsed.data.body;
  const code = classifyWithings(body) ?? 'invalid_request';
  const status = String(parsed.data.status);
  throw new ProviderError(code, `${providerId} token endpoint answered status ${status}`, {
    providerId,
    providerCode: status,
  });
}

/** Withings' token body names the user in `userid`. */
export function withingsUserId(body: Readonly<Record<string, unknown>>): ProviderUserInfo {
  const id = userIdMember(body, 'userid');
  return id === undefined ? {} : { providerUserId: id };
}

// Withings Public API: every answer is wrapped as {status, body}; HTTP 200 even on errors.
// Authorization codes live 30 seconds: exchange at once. Refresh tokens rotate (the old one
// stays valid 8 h or until the new access token is used). Partners cannot unlink users; a
// user who unlinks the app is announced by a notification with action=unlink (unsigned:
// webhookSecret in the intake URL, matched by userid), and the callback URL must answer HEAD.
// Sources: https://developer.withings.com/api-reference/#tag/oauth2
//   https://developer.withings.com/developer-guide/v3/integration-guide/public-health-data-api/get-access/oauth-web-flow/
//   https://developer.withings.com/api-reference/#tag/response_status
//   https://developer.withings.com/developer-guide/v3/integration-guide/bulkship-sdk/data-api/notifications/notification-content
export const withings = {
  kind: 'oauth2',
  id: 'withings',
  displayName: 'Withings',
  authorizationUrl: 'https://account.withings.com/oauth2_user/authorize2',
  tokenUrl: 'https://wbsapi.withings.net/v2/oauth2',
  // Every data service (`/measure`, `/v2/measure`, `/v2/sleep`, `/notify`) is under this host;
  // each call names its `action` parameter in the query or form body.
  // Source: https://developer.withings.com/api-reference/ (service URLs)
  apiBaseUrl: 'https://wbsapi.withings.net',
  // 120 requests a minute for the whole application (Public API plan), token calls included.
  // Withings' own pages were not found in the sources searched; the figure is Withings' plans
  // page (https://developer.withings.com/developer-guide/v3/withings-solutions/withings-api-plans/)
  // as quoted by a third party: https://raw.githubusercontent.com/api-evangelist/withings/refs/heads/main/rate-limits/withings-rate-limits.yml
  // (checked 2026-12-06). Enterprise plans have higher limits: set them in the providers file.
  rateLimits: [{ requests: 120, perSeconds: 60 }],
  scopes: ['user.info', 'user.metrics', 'user.activity'],
  scopeSeparator: ',',
  tokenEndpointAuthMethod: 'client_secret_post',
  // Off, not refused: the provider's authorization parameters (https://developer.withings.com/api-reference/#tag/oauth2) list no
  // code_challenge, and no source shows its server accepting one. RFC 6749 §3.1 says unknown
  // parameters are ignored; turn this on once a live link with PKCE is seen to complete.
  pkce: 'none',
  notifications: {
    format: 'withings',
    events: ['auth_revoked'],
    verification:
      'unsigned (form POST, Withings IP ranges): webhookSecret in the intake URL; HEAD check answered 200',
  },
  hooks: {
    shapeTokenRequest: withingsAction,
    parseTokenResponse: unwrapWithings,
    classifyError: classifyWithings,
    extractProviderUserId: withingsUserId,
  },
} satisfies OAuth2Definition;

import { z } from 'zod';
import type { OAuth2Definition, ProviderUserInfo, TokenRequestDraft } from '../definition.js';
import { bearerRevoke } from '../oauth2/bearer-revoke.js';

/** Whoop issues a new refresh token only when the refresh request asks for `offline` again. */
export function whoopRefreshScope(draft: TokenRequestDraft): TokenRequestDraft {
  if (draft.grant === 'refresh_token') draft.params.set('scope', 'offline');
  return draft;
}

/** Source: https://developer.whoop.com/api/ (servers: https://api.prod.whoop.com/developer) */
export const WHOOP_API = 'https://api.prod.whoop.com';

const profile = z.looseObject({ user_id: z.union([z.number().int(), z.string().min(1)]) });

/** `GET /developer/v2/user/profile/basic` → `{user_id, email, first_name, last_name}`. */
export function whoopProfile(body: unknown): ProviderUserInfo | undefined {
  const parsed = profile.safeParse(body);
  return parsed.success ? { providerUserId: String(parsed.data.user_id) } : undefined;
}

// Whoop API v2: tokens rotate on each refresh; the `offline` scope yields refresh tokens.
// Sources: https://developer.whoop.com/docs/developing/oauth
//   https://developer.whoop.com/docs/developing/oauth#refreshing-access-tokens (scope=offline)
//   https://developer.whoop.com/docs/api-changelog (2023-02-01: revokeUserOauthAccess)
//   https://developer.whoop.com/api/#tag/User/operation/getProfileBasic (the user id: without
//   it a notice cannot be matched to its connection)
//   DELETE /developer/v2/user/access with the user's bearer token (?): path seen in
//   open-source v2 clients, not in the reference page itself.
export const whoop = {
  kind: 'oauth2',
  id: 'whoop',
  displayName: 'WHOOP',
  authorizationUrl: 'https://api.prod.whoop.com/oauth/oauth2/auth',
  tokenUrl: 'https://api.prod.whoop.com/oauth/oauth2/token',
  revocationUrl: 'https://api.prod.whoop.com/developer/v2/user/access',
  apiBaseUrl: WHOOP_API,
  // Every call of the app counts, refreshes included: 100 a minute and 10,000 a day.
  // Source: https://developer.whoop.com/docs/developing/rate-limiting (checked 2026-12-06)
  rateLimits: [
    { requests: 100, perSeconds: 60 },
    { requests: 10_000, perSeconds: 86_400 },
  ],
  scopes: ['offline', 'read:profile', 'read:recovery', 'read:cycles', 'read:sleep', 'read:workout'],
  scopeSeparator: ' ',
  tokenEndpointAuthMethod: 'client_secret_post',
  // WHOOP's authorization server (Ory Hydra paths, /oauth/oauth2/auth) accepts PKCE: WHOOP
  // clients send S256 challenges to it (https://developers.wellpipe.io/packages/cli/oauth-flow).
  pkce: 'supported',
  notifications: {
    format: 'whoop',
    events: [],
    verification:
      'X-WHOOP-Signature = base64 HMAC-SHA256(clientSecret, X-WHOOP-Signature-Timestamp + body), 5 min window',
  },
  hooks: {
    shapeTokenRequest: whoopRefreshScope,
    revoke: bearerRevoke('DELETE', (provider) => provider.revocationUrl),
  },
  // The token answer names no user: the profile does, asked again until it answers.
  identity: {
    url: (provider) => `${provider.apiBaseUrl ?? WHOOP_API}/developer/v2/user/profile/basic`,
    read: whoopProfile,
  },
} satisfies OAuth2Definition;

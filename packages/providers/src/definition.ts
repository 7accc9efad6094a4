import type {
  CallOptions,
  OAuth1TokenSet,
  OAuth2Quirks,
  PkceSupport,
  ProviderUserInfo,
  RevokeResult,
  TokenEndpointAuthMethod,
} from '@tokenlane/oauth';
import type { Secret } from '@tokenlane/vault';
import type { TokenSet } from './token-set.js';

export { TOKEN_ENDPOINT_AUTH_METHODS } from '@tokenlane/oauth';
export type {
  AuthorizationUrlInput,
  PkceSupport,
  ProviderUserInfo,
  RevokeResult,
  TokenEndpointAuthMethod,
  TokenRequestDraft,
} from '@tokenlane/oauth';

/** Why a provider is on its way out, for people (the dates and the successor are data beside it). */
export interface Deprecation {
  readonly note: string;
}

/** Which notification verifier serves a provider's `/webhooks/:provider` intake. */
export type NotificationFormat =
  'tokenlane' | 'fitbit' | 'whoop' | 'oura' | 'polar' | 'garmin' | 'strava' | 'withings';

/** How a provider tells us about revocations; `notifications/` verifies them by `format`. */
export interface NotificationSpec {
  readonly format: NotificationFormat;
  readonly events: readonly ('auth_revoked' | 'deregistration' | 'permissions_changed')[];
  readonly verification: string;
}

/**
 * Who the user is at the provider, asked with the user's own access token (a bearer GET of
 * `url`). `read` finds the provider user id (and non-secret metadata) in the answer, or
 * returns undefined when the answer lacks it.
 */
export interface IdentityLookup {
  readonly url: (provider: OAuth2Provider) => string;
  readonly read: (body: unknown) => ProviderUserInfo | undefined;
}

export interface RevokeInput {
  readonly accessToken?: Secret;
  readonly refreshToken?: Secret;
  readonly providerUserId?: string;
}

export interface PostLinkContext {
  /** Our id for the user at the provider (Polar's `member-id`). */
  readonly memberId: string;
}

/**
 * Quirks of one OAuth 2.0 provider, each a small named function beside its definition: those of
 * its token endpoint (`OAuth2Quirks`, applied by @tokenlane/oauth) and the steps around it.
 */
export interface OAuth2Hooks extends OAuth2Quirks {
  readonly postLink?: (
    provider: OAuth2Provider,
    tokens: TokenSet,
    context: PostLinkContext,
    options: CallOptions,
  ) => Promise<TokenSet>;
  readonly revoke?: (
    provider: OAuth2Provider,
    input: RevokeInput,
    options: CallOptions,
  ) => Promise<RevokeResult>;
}

/** The endpoints one region of a provider serves from. */
export interface RegionUrls {
  readonly authorizationUrl?: string;
  readonly tokenUrl?: string;
  readonly revocationUrl?: string;
  readonly apiBaseUrl?: string;
}

interface DefinitionBase {
  readonly id: string;
  readonly displayName: string;
  readonly authorizationUrl: string;
  readonly revocationUrl?: string;
  /**
   * Base of the provider's API: calls the hooks make (user registration, user id look-up) and
   * every call through the proxy (`/v1/connections/:id/proxy/<path>`), which never leaves it.
   */
  readonly apiBaseUrl?: string;
  /**
   * Other base URLs of the same API the proxy may reach (an API spanning hosts), chosen per
   * call with `Tokenlane-Base-Url`.
   */
  readonly apiHosts?: readonly string[];
  /**
   * Statuses the provider answers, besides 401, when it refuses a token (the proxy refreshes
   * once and retries on them).
   */
  readonly unauthorizedStatuses?: readonly number[];
  /** Names of `{placeholders}` in the URLs, filled from the providers file's `urlParams`. */
  readonly urlParams?: readonly string[];
  /** Out-of-band flow: the user types a PIN (OAuth 2.0) or verifier (OAuth 1.0a `oob`). */
  readonly pin?: boolean;
  readonly deprecated?: Deprecation;
  /**
   * When the provider stops answering (ISO date, or date-time): from then on its connections
   * need a re-link to `successor` and new links to it are refused. Data, not code: the
   * providers file may move or clear it (`null`).
   */
  readonly sunsetAt?: string;
  /** Where the provider's users move (an OAuth 2.0 provider id, checked at boot). */
  readonly successor?: string;
  /**
   * Documented host variants (Dexcom's US, EU, Japan and sandbox), chosen in the providers
   * file with `"region"`; URLs the entry sets itself still win.
   */
  readonly regions?: Readonly<Record<string, RegionUrls>>;
  readonly notifications?: NotificationSpec;
  /**
   * The authorization server's issuer identifier: a redirect carrying another `iss` is a
   * mix-up and is refused (RFC 9207, RFC 9700 §4.4).
   */
  readonly issuer?: string;
  /**
   * The provider is documented to send `iss` in every authorization response (RFC 9207
   * `authorization_response_iss_parameter_supported`): with an `issuer`, a redirect without
   * `iss` is refused.
   */
  readonly authorizationResponseIss?: boolean;
  /** Most token-endpoint calls tokenlane makes, across all replicas (providers file). */
  readonly rateLimit?: { readonly requests: number; readonly perSeconds: number };
  /**
   * The provider's own limits, counting refreshes, identity look-ups and proxied calls
   * together, app-wide or per connection (`per`), across all replicas. Wins over `rateLimit`.
   */
  readonly rateLimits?: readonly {
    readonly requests: number;
    readonly perSeconds: number;
    readonly per?: 'app' | 'connection';
  }[];
}

/**
 * One documented generation of a provider's authorization server (Oura's old and new hosts):
 * everything that changes with it. Chosen whole in the providers file with `"endpoints"`, in
 * place of the definition's own server fields; fields the entry sets itself still win.
 */
export interface OAuth2EndpointSet {
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly revocationUrl?: string;
  readonly issuer?: string;
  readonly authorizationResponseIss?: boolean;
  readonly scopes: readonly string[];
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly pkce: PkceSupport;
  /** How this server revokes; absent: RFC 7009 at `revocationUrl`. */
  readonly revoke?: OAuth2Hooks['revoke'];
}

export interface OAuth2Definition extends DefinitionBase {
  readonly kind: 'oauth2';
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
  readonly scopeSeparator: string;
  readonly authorizationParams?: Readonly<Record<string, string>>;
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly pkce: PkceSupport;
  /**
   * A known lifetime of refresh tokens when the token answer does not say (Google's apps in
   * Testing status: 7 days). A `refresh_token_expires_in` in the answer wins.
   */
  readonly refreshTokenLifetimeDays?: number;
  /**
   * Other documented generations of the provider's authorization server, by name; the
   * definition's own fields are the current one.
   */
  readonly endpointSets?: Readonly<Record<string, OAuth2EndpointSet>>;
  /**
   * The provider's identity look-up, and the only source of its user id: nothing in the token
   * answer (an id_token's `sub`, a user id member) is ever taken for it. Declared by providers
   * whose user id is not the OpenID `sub` (Google Health's `healthUserId`) or not in the token
   * answer at all (WHOOP). Run after the exchange; a link whose look-up fails completes with
   * its identity pending, asked again until the provider answers.
   */
  readonly identity?: IdentityLookup;
  readonly hooks?: OAuth2Hooks;
}

/** Quirks of one OAuth 1.0a provider. */
export interface OAuth1Hooks {
  readonly extractProviderUserId?: (body: Readonly<Record<string, string>>) => ProviderUserInfo;
  readonly postLink?: (
    provider: OAuth1Provider,
    tokens: OAuth1TokenSet,
    options: CallOptions,
  ) => Promise<OAuth1TokenSet>;
  readonly revoke?: (
    provider: OAuth1Provider,
    tokens: OAuth1TokenSet,
    options: CallOptions,
  ) => Promise<RevokeResult>;
}

export interface OAuth1Definition extends DefinitionBase {
  readonly kind: 'oauth1';
  readonly requestTokenUrl: string;
  readonly accessTokenUrl: string;
  /**
   * Trades a user's OAuth 1.0a token (signed request) for an OAuth 2.0 token pair of the
   * successor, without the user (Garmin's migration path).
   */
  readonly tokenExchangeUrl?: string;
  /**
   * A signed GET under `apiBaseUrl` that succeeds while the user's grant lives (Garmin: the
   * user id). A 401 from an OAuth 1.0a provider is blamed on the user's grant only when this
   * call with their token still fails while our consumer credentials demonstrably work
   * (`oauth1/grant-check.ts`).
   */
  readonly grantCheckPath?: string;
  readonly hooks?: OAuth1Hooks;
}

export type ProviderDefinition = OAuth2Definition | OAuth1Definition;

interface Configured {
  readonly configured: true;
  /** Declared in the providers file rather than built in. */
  readonly custom: boolean;
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly webhookSecret?: Secret;
  /**
   * The token a provider's subscription check echoes back (Strava's `hub.verify_token`);
   * never the `webhookSecret`, since it arrives in a query string.
   */
  readonly verifyToken?: Secret;
  /** `${PUBLIC_URL}/oauth/callback`. */
  readonly redirectUri: string;
}

/** A provider ready to use: definition, providers-file overrides and credentials. */
export type OAuth2Provider = OAuth2Definition & Configured;
export type OAuth1Provider = OAuth1Definition & Configured;
export type Provider = OAuth2Provider | OAuth1Provider;

/** A built-in listed without credentials: visible, but linking it is a clear 4xx. */
export type UnconfiguredProvider = ProviderDefinition & { readonly configured: false };

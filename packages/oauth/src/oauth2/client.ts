import type { Secret } from '@tokenlane/vault';
import type { ClassifyErrorHook, ErrorStringHook } from '../classify.js';
import type { TokenMetadata } from '../tokens.js';

/** @see RFC 6749 §2.3.1 */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** `required`: every authorization must carry a code_challenge (RFC 7636). */
export type PkceSupport = 'required' | 'supported' | 'none';

/** The token request before it is sent; a `shapeTokenRequest` quirk may change any part. */
export interface TokenRequestDraft {
  readonly grant: 'authorization_code' | 'pin' | 'refresh_token';
  readonly url: string;
  readonly params: URLSearchParams;
  readonly headers: Record<string, string>;
}

/** What a token answer says about the user, besides the tokens. */
export interface ProviderUserInfo {
  readonly providerUserId?: string;
  readonly metadata?: TokenMetadata;
}

export interface AuthorizationUrlInput {
  readonly state: string;
  readonly redirectUri?: string;
  readonly scopes?: readonly string[];
  readonly codeChallenge?: string;
}

/**
 * Where an authorization server departs from RFC 6749, as small functions: each is optional,
 * and a server without any is spoken to exactly as the RFC says.
 */
export interface OAuth2Quirks {
  readonly authorizationUrlParams?: (
    params: Record<string, string>,
    input: AuthorizationUrlInput,
  ) => Record<string, string>;
  readonly shapeTokenRequest?: (draft: TokenRequestDraft) => TokenRequestDraft;
  /** Unwraps an envelope into an RFC 6749 §5.1 object, or throws a ProviderError. */
  readonly parseTokenResponse?: (body: unknown, providerId: string) => unknown;
  readonly classifyError?: ClassifyErrorHook;
  /** Reads the error string from a body shape of the server's own (not RFC 6749 `{error}`). */
  readonly errorString?: ErrorStringHook;
  readonly extractProviderUserId?: (body: Readonly<Record<string, unknown>>) => ProviderUserInfo;
}

/**
 * Our registration at one OAuth 2.0 authorization server: its endpoints, our client
 * credentials and how we authenticate, and its quirks. Plain data: nothing here knows which
 * server it is beyond `id`, which only names it in error messages and `ProviderError`.
 */
export interface OAuth2Client {
  readonly id: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly revocationUrl?: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** `${our public URL}/oauth/callback`, or wherever the server redirects back to. */
  readonly redirectUri: string;
  /** Scopes asked for when the caller names none. */
  readonly scopes: readonly string[];
  /** RFC 6749 §3.3 says a space; some servers want a comma. */
  readonly scopeSeparator: string;
  readonly pkce: PkceSupport;
  readonly authorizationParams?: Readonly<Record<string, string>>;
  /** Out-of-band: the user types the code as a PIN; no redirect_uri is sent. */
  readonly pin?: boolean;
  /** A known refresh-token lifetime when the answer has no `refresh_token_expires_in`. */
  readonly refreshTokenLifetimeDays?: number;
  /**
   * The token answer never names the user: its id_token `sub` or user id member is another id,
   * and a separate look-up is the only source of the user id.
   */
  readonly ignoreTokenUserId?: boolean;
  readonly hooks?: OAuth2Quirks;
}

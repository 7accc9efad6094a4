/**
 * The closed sets of codes tokenlane speaks in: what an API error says, why a connection needs
 * re-authorization, why a link failed, and how a provider's refusal is treated. Events, the
 * OpenAPI schema and the SDK all use these; docs/api.md lists them. Adding a code is a contract
 * change; renaming or removing one breaks clients.
 */

/** Every `error.code` the HTTP API answers with (`{ "error": { "code", "message" } }`). */
export const API_ERROR_CODES = [
  'invalid_request',
  'invalid_json',
  'unauthorized',
  /** The API key lacks the scope the route needs (the message names it). */
  'insufficient_scope',
  'not_found',
  'unknown_provider',
  'provider_not_configured',
  'provider_retired',
  'return_url_not_allowed',
  'invalid_state',
  'invalid_signature',
  'invalid_pin',
  'link_expired',
  'reauth_required',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'provider_error',
  /** The provider did not answer a proxied call within its `Tokenlane-Timeout`. */
  'provider_timeout',
  /** The provider declares no `apiBaseUrl`: nothing can be proxied to it. */
  'proxy_not_configured',
  'provider_unhealthy',
  'refresh_backoff',
  'service_unavailable',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/**
 * How a provider's refusal of a refresh is treated (docs/api.md, "Failure policy"):
 * - `reauth`: the grant is gone (`invalid_grant`): the user must re-link;
 * - `retired`: the provider's API is gone (410 Gone, or its sunset passed): re-link to its successor;
 * - `credentials`: our client credentials were refused: the whole provider pauses, one probe at a time;
 * - `transient`: 5xx, 429, timeouts, network: back off, and brake the provider when most calls fail;
 * - `refused`: anything else: back off, and give up after TOKENLANE_REFRESH_GIVE_UP_HOURS.
 */
export const REFUSAL_CLASSES = [
  'reauth',
  'retired',
  'credentials',
  'transient',
  'refused',
] as const;
export type RefusalClass = (typeof REFUSAL_CLASSES)[number];

/** `data.code` of `connection.reauth_required`, and the connection's `lastErrorCode` then. */
export const REAUTH_REASONS = [
  /** The provider refused the refresh token. */
  'invalid_grant',
  /** A refresh was cut off mid-flight; the provider most likely rotated and the answer is lost. */
  'refresh_interrupted',
  /** The provider answered 410 Gone, or its sunset date passed. */
  'provider_retired',
  /** Refreshes kept failing for TOKENLANE_REFRESH_GIVE_UP_HOURS. */
  'refresh_exhausted',
  /** The backend reported a 401 and the provider cannot refresh (OAuth 1.0a, no refresh token). */
  'unauthorized',
  /** The backend reported a 401 for a token that itself came from a refresh forced by a 401. */
  'unauthorized_after_refresh',
  /** A migration to the provider's successor found the user's grant gone: re-link to the successor. */
  'provider_migration',
  /** The refresh token reached the end of the lifetime the provider gave it. */
  'refresh_token_expired',
] as const;
export type ReauthReason = (typeof REAUTH_REASONS)[number];

/** The RFC 6749 §4.1.2.1 errors a provider's redirect may carry; they pass through as they are. */
export const REDIRECT_ERROR_CODES = [
  'access_denied',
  'invalid_request',
  'unauthorized_client',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
] as const;

/** `data.code` of `link.failed`, and the `code` of a callback's `?status=error&code=…`. */
export const LINK_FAILURE_CODES = [
  ...REDIRECT_ERROR_CODES,
  /** The redirect carried another error, or none and no code. */
  'authorization_failed',
  // The provider refused the code exchange (a provider error code).
  'invalid_grant',
  'invalid_client',
  'unauthorized',
  'rate_limited',
  'provider_unavailable',
  'provider_retired',
  'timeout',
  'network',
  'invalid_response',
  'unsupported',
  /** The exchange failed on our side (database, a bug) on its last attempt. */
  'exchange_failed',
  /** The link session was not found or not waiting for an exchange. */
  'link_not_found',
  'link_not_exchanging',
  /** A re-link came back with another provider account than the connection's; nothing changed. */
  'account_mismatch',
  /** The connection was revoked after the link was made: the link no longer counts. */
  'link_cancelled',
  /** Too many wrong PINs were submitted for this link. */
  'too_many_attempts',
] as const;
export type LinkFailureCode = (typeof LINK_FAILURE_CODES)[number];

/**
 * Why a link a browser brought could not be used, as its page explains it: never issued or
 * not recognisable (`unknown_link`), past its lifetime, already used (opened, completed,
 * failed), or bound to another browser. Words for a page, never sent to the app.
 */
export const LINK_REFUSALS = [
  'unknown_link',
  'link_expired',
  'link_used',
  'other_browser',
] as const;
export type LinkRefusal = (typeof LINK_REFUSALS)[number];

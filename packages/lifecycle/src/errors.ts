/**
 * Why a lifecycle request was refused: a closed set. The ingress's error handler maps each to
 * one HTTP status and API error code (services/ingress/src/error-handler.ts), in one place.
 */
export const LIFECYCLE_ERROR_CODES = [
  'return_url_not_allowed',
  'invalid_pin',
  'invalid_state',
  'link_not_found',
  'connection_not_found',
  'connection_mismatch',
  'link_not_pending',
  'link_expired',
  'reauth_required',
  'connection_revoked',
  /** A refresh is running and did not finish within the wait. */
  'refresh_pending',
  /** The connection's refreshes keep failing; the next attempt is not due yet. */
  'refresh_backoff',
  /** The provider's breaker is open: its refreshes are paused. */
  'provider_unhealthy',
  /** The provider's sunset has passed: no new links (link its successor instead). */
  'provider_retired',
  /** A migration request that cannot run (`to` is not `from`'s successor, a mode it lacks). */
  'invalid_migration',
  'migration_not_found',
  /** The migration has already completed or been cancelled. */
  'migration_finished',
  /** Pause of a run that is not running, or resume of one that is not paused. */
  'migration_state',
  /** A proxied path that would leave the provider's API, or a bad proxy control header. */
  'invalid_proxy_request',
  /** The provider has no `apiBaseUrl`. */
  'proxy_not_configured',
  /** The provider did not answer a proxied call in time. */
  'provider_timeout',
  /** The provider could not be reached for a proxied call (refused, reset, DNS). */
  'provider_unreachable',
  /** The provider's rate budget has no room for this call, or its 429 holds calls back. */
  'rate_limited',
  /** A form body over the size a signed (OAuth 1.0a) call can hold. */
  'proxy_body_too_large',
] as const;
export type LifecycleErrorCode = (typeof LIFECYCLE_ERROR_CODES)[number];

export interface LifecycleErrorOptions {
  /** When to try again, for a `Retry-After` header. */
  readonly retryAfterSeconds?: number;
  /** Extra fields of the error body (a re-link's `linkWebUrl` on `reauth_required`). */
  readonly details?: Readonly<Record<string, string>>;
}

/** A refused lifecycle request: a caller's mistake or a wait, never carrying a secret. */
export class LifecycleError extends Error {
  override readonly name = 'LifecycleError';
  readonly retryAfterSeconds: number | undefined;
  readonly details: Readonly<Record<string, string>>;
  constructor(
    readonly code: LifecycleErrorCode,
    message: string,
    options: LifecycleErrorOptions = {},
  ) {
    super(message);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details ?? {};
  }
}

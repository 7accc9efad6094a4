/** Every way a call to an authorization server or API can fail, as one closed set. */
export const PROVIDER_ERROR_CODES = [
  'invalid_grant',
  'invalid_client',
  'invalid_request',
  'invalid_scope',
  'unauthorized',
  'access_denied',
  'rate_limited',
  'provider_unavailable',
  'timeout',
  'network',
  'invalid_response',
  'unsupported',
  /** 410 Gone: the API was retired. */
  'provider_retired',
] as const;

export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}

// The codes a later attempt may cure; every other code needs someone to act first.
const TRANSIENT_CODES: ReadonlySet<ProviderErrorCode> = new Set([
  'rate_limited',
  'provider_unavailable',
  'timeout',
  'network',
]);

/** Whether a failure is transient: worth retrying later with backoff. */
export function isRetryableCode(code: ProviderErrorCode): boolean {
  return TRANSIENT_CODES.has(code);
}

export interface ProviderErrorOptions {
  readonly providerId?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** The provider's own error string (`invalid_grant`, a numeric status, …), never a token. */
  readonly providerCode?: string;
  readonly cause?: unknown;
}

/**
 * A provider call failed. Carries a stable `code`, whether it is `retryable`, and the
 * provider's `Retry-After` as `retryAfterMs`. Messages and enumerable fields never hold a
 * token value; `cause` is non-enumerable and never a response body.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly code: ProviderErrorCode;
  readonly retryable: boolean;
  // `declare`: absent options leave no `undefined` own properties behind.
  declare readonly providerId?: string;
  declare readonly status?: number;
  declare readonly retryAfterMs?: number;
  declare readonly providerCode?: string;

  constructor(code: ProviderErrorCode, message: string, options: ProviderErrorOptions = {}) {
    super(message);
    this.code = code;
    this.retryable = isRetryableCode(code);
    if (options.providerId !== undefined) this.providerId = options.providerId;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.providerCode !== undefined) this.providerCode = options.providerCode;
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
    }
  }
}

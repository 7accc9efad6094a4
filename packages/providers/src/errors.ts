/** Every way a provider call can fail, as one closed set (DESIGN rule 5 decides what retries). */
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
] as const;

export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}

/** Whether a failure is transient: worth retrying later with backoff (DESIGN rule 5). */
export function isRetryableCode(code: ProviderErrorCode): boolean {
  switch (code) {
    case 'rate_limited':
    case 'provider_unavailable':
    case 'timeout':
    case 'network':
      return true;
    case 'invalid_grant':
    case 'invalid_client':
    case 'invalid_request':
    case 'invalid_scope':
    case 'unauthorized':
    case 'access_denied':
    case 'invalid_response':
    case 'unsupported':
      return false;
    default:
      return assertNever(code);
  }
}

export interface ProviderErrorOptions {
  readonly providerId?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** The provider's own error string (`invalid_grant`, Withings `601`, …), never a token. */
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

/** `registry.require(id)` for an id that is neither built in nor in the providers file. */
export class UnknownProviderError extends Error {
  override readonly name = 'UnknownProviderError';
  readonly code = 'unknown_provider';
  readonly providerId: string;

  constructor(providerId: string) {
    super(`unknown provider "${providerId}"`);
    this.providerId = providerId;
  }
}

/** `registry.require(id)` for a built-in that has no credentials in the providers file. */
export class ProviderNotConfiguredError extends Error {
  override readonly name = 'ProviderNotConfiguredError';
  readonly code = 'provider_not_configured';
  readonly providerId: string;

  constructor(providerId: string) {
    super(`provider "${providerId}" has no clientId/clientSecret in the providers file`);
    this.providerId = providerId;
  }
}

/** A bad providers file. The message is one line naming the provider and the field. */
export class ProvidersFileError extends Error {
  override readonly name = 'ProvidersFileError';
  readonly code = 'invalid_providers_file';
  declare readonly providerId?: string;
  declare readonly field?: string;

  constructor(message: string, location: { providerId?: string; field?: string } = {}) {
    super(`providers file: ${message}`);
    if (location.providerId !== undefined) this.providerId = location.providerId;
    if (location.field !== undefined) this.field = location.field;
  }
}

import type { RefusalClass } from '@tokenlane/core';
/** Every way a provider call can fail, as one closed set ({@link refusalClass} decides what follows). */
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
  /** 410 Gone: the API was retired (as Fitbit's Web API answers since its shutdown). */
  'provider_retired',
] as const;

export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}

/**
 * The one place a provider's refusal is classified (docs/api.md, "Failure policy"); the class
 * alone decides what the lifecycle does next. At the token endpoint a bare 401 (`unauthorized`)
 * means our client credentials were refused, like `invalid_client`.
 */
export function refusalClass(code: ProviderErrorCode): RefusalClass {
  switch (code) {
    case 'invalid_grant':
      return 'reauth';
    case 'provider_retired':
      return 'retired';
    case 'invalid_client':
    case 'unauthorized':
      return 'credentials';
    case 'rate_limited':
    case 'provider_unavailable':
    case 'timeout':
    case 'network':
      return 'transient';
    case 'invalid_request':
    case 'invalid_scope':
    case 'access_denied':
    case 'invalid_response':
    case 'unsupported':
      return 'refused';
    default:
      return assertNever(code);
  }
}

/** Whether a failure is transient: worth retrying later with backoff. */
export function isRetryableCode(code: ProviderErrorCode): boolean {
  return refusalClass(code) === 'transient';
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

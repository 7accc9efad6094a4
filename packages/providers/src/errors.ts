import type { RefusalClass } from '@tokenlane/core';
import { assertNever, type ProviderErrorCode } from '@tokenlane/oauth';

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

import {
  errorFromResponse,
  sendBearerRequest,
  withRetry,
  type CallOptions,
  type RevokeResult,
} from '@tokenlane/oauth';
import type { OAuth2Provider, RevokeInput } from '../definition.js';

/**
 * A revoke hook for providers that deregister with an authorized call (DELETE or POST):
 * 2xx confirms, 404 means already gone, anything else is a ProviderError.
 */
export function bearerRevoke(
  method: 'POST' | 'DELETE',
  target: (provider: OAuth2Provider, input: RevokeInput) => string | undefined,
) {
  return async function revoke(
    provider: OAuth2Provider,
    input: RevokeInput,
    options: CallOptions,
  ): Promise<RevokeResult> {
    const url = target(provider, input);
    const accessToken = input.accessToken;
    if (url === undefined || accessToken === undefined) {
      return { confirmed: false, reason: `${provider.id} revocation needs an access token` };
    }
    return withRetry('idempotent', options, async () => {
      const response = await sendBearerRequest({ method, url, accessToken }, options);
      if (response.status === 404) return { confirmed: true, reason: 'already revoked' };
      if (response.status >= 200 && response.status < 300) return { confirmed: true };
      throw errorFromResponse(response, {
        providerId: provider.id,
        what: `${provider.id} revocation`,
        classify: provider.hooks?.classifyError,
      });
    });
  };
}

import type { Secret } from '@tokenlane/vault';
import { errorFromResponse } from '../classify.js';
import type { OAuth2Provider, RevokeInput, RevokeResult } from '../definition.js';
import { send, type CallOptions, type HttpResponse } from '../http.js';
import { withRetry } from '../retry.js';
import { authenticateClient } from './token.js';

export type TokenTypeHint = 'access_token' | 'refresh_token';

/**
 * Sends one RFC 7009 revocation request, authenticated like the token endpoint.
 * @see RFC 7009 §2.1
 */
export function sendRevocationRequest(
  provider: OAuth2Provider,
  url: string,
  token: Secret,
  hint: TokenTypeHint,
  options: CallOptions = {},
) {
  const params = new URLSearchParams({ token: token.reveal(), token_type_hint: hint });
  const headers = authenticateClient(provider, params);
  return send({ method: 'POST', url, headers, body: params.toString() }, options);
}

/**
 * A revocation answer: 200 whether or not the token was still valid; anything else fails.
 * @see RFC 7009 §2.2, §2.2.1
 */
export function processRevocationResponse(provider: OAuth2Provider, response: HttpResponse) {
  if (response.status >= 200 && response.status < 300) return;
  throw errorFromResponse(response, {
    providerId: provider.id,
    what: `${provider.id} revocation endpoint`,
    classify: provider.hooks?.classifyError,
  });
}

/**
 * Revokes a connection's tokens at the provider: the provider's own revoke/deregister hook,
 * else RFC 7009 for the refresh token and then the access token. Providers without any
 * revocation answer `{ confirmed: false, reason }`.
 * @see RFC 7009 §2
 */
export async function revokeTokens(
  provider: OAuth2Provider,
  input: RevokeInput,
  options: CallOptions = {},
): Promise<RevokeResult> {
  const call: CallOptions = { providerId: provider.id, ...options };
  if (provider.hooks?.revoke) return provider.hooks.revoke(provider, input, call);
  const url = provider.revocationUrl;
  if (url === undefined) {
    return { confirmed: false, reason: `${provider.id} offers no revocation endpoint` };
  }
  const targets: [Secret, TokenTypeHint][] = [];
  if (input.refreshToken) targets.push([input.refreshToken, 'refresh_token']);
  if (input.accessToken) targets.push([input.accessToken, 'access_token']);
  if (targets.length === 0) return { confirmed: false, reason: 'no token to revoke' };
  for (const [token, hint] of targets) {
    await withRetry('idempotent', call, async () => {
      processRevocationResponse(
        provider,
        await sendRevocationRequest(provider, url, token, hint, call),
      );
    });
  }
  return { confirmed: true };
}

/** A provider API call authorized with the user's access token. @see RFC 6750 §2.1 */
export function sendBearerRequest(
  request: { method: 'GET' | 'POST' | 'DELETE'; url: string; accessToken: Secret; json?: unknown },
  options: CallOptions = {},
) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${request.accessToken.reveal()}`,
    accept: 'application/json',
  };
  if (request.json === undefined)
    return send({ method: request.method, url: request.url, headers }, options);
  return send(
    {
      method: request.method,
      url: request.url,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(request.json),
    },
    options,
  );
}

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

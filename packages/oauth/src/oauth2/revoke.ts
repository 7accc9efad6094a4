import type { Secret } from '@tokenlane/vault';
import { errorFromResponse } from '../classify.js';
import { send, type CallOptions, type HttpResponse } from '../http.js';
import { withRetry } from '../retry.js';
import type { OAuth2Client } from './client.js';
import { authenticateClient } from './token.js';

/** The tokens of one grant to revoke; either may be absent. */
export interface RevokeInput {
  readonly accessToken?: Secret;
  readonly refreshToken?: Secret;
}

export interface RevokeResult {
  /** The provider acknowledged the revocation. */
  readonly confirmed: boolean;
  /** Why not, when `confirmed` is false. */
  readonly reason?: string;
}

export type TokenTypeHint = 'access_token' | 'refresh_token';

/**
 * Sends one RFC 7009 revocation request, authenticated like the token endpoint.
 * @see RFC 7009 §2.1
 */
export function sendRevocationRequest(
  provider: OAuth2Client,
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
export function processRevocationResponse(provider: OAuth2Client, response: HttpResponse) {
  if (response.status >= 200 && response.status < 300) return;
  throw errorFromResponse(response, {
    providerId: provider.id,
    what: `${provider.id} revocation endpoint`,
    classify: provider.hooks?.classifyError,
    errorString: provider.hooks?.errorString,
  });
}

/**
 * Revokes a grant's tokens with RFC 7009: the refresh token, then the access token. A server
 * without a revocation endpoint answers `{ confirmed: false, reason }`.
 * @see RFC 7009 §2
 */
export async function revokeTokens(
  provider: OAuth2Client,
  input: RevokeInput,
  options: CallOptions = {},
): Promise<RevokeResult> {
  const call: CallOptions = { providerId: provider.id, ...options };
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

import { createHash, randomBytes } from 'node:crypto';
import { Secret } from '@tokenlane/vault';
import { ProviderError } from '../errors.js';
import type { AuthorizationUrlInput, OAuth2Client } from './client.js';

export interface Pkce {
  readonly verifier: Secret;
  readonly challenge: string;
  readonly method: 'S256';
}

/**
 * A fresh PKCE pair: a 256-bit verifier and its S256 challenge.
 * @see RFC 7636 §4.1, §4.2
 */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier: new Secret(verifier), challenge: pkceChallenge(verifier), method: 'S256' };
}

/** @see RFC 7636 §4.2 */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Whether authorizations at this server should carry a PKCE challenge. */
export function usesPkce(provider: OAuth2Client): boolean {
  return provider.pkce !== 'none';
}

/**
 * The URL to send the user to: response_type=code, client_id, redirect_uri (not for PIN
 * providers), scope, state, the PKCE challenge and the provider's extra parameters.
 * @see RFC 6749 §4.1.1
 * @see RFC 7636 §4.3
 */
export function authorizationUrl(provider: OAuth2Client, input: AuthorizationUrlInput): string {
  if (provider.pkce === 'required' && input.codeChallenge === undefined) {
    throw new ProviderError('invalid_request', `${provider.id} requires PKCE: pass codeChallenge`, {
      providerId: provider.id,
    });
  }
  const scopes = input.scopes ?? provider.scopes;
  let params: Record<string, string> = {
    response_type: 'code',
    client_id: provider.clientId,
    ...(provider.pin === true ? {} : { redirect_uri: input.redirectUri ?? provider.redirectUri }),
    ...(scopes.length > 0 ? { scope: scopes.join(provider.scopeSeparator) } : {}),
    state: input.state,
    ...(input.codeChallenge === undefined
      ? {}
      : { code_challenge: input.codeChallenge, code_challenge_method: 'S256' }),
    ...provider.authorizationParams,
  };
  if (provider.hooks?.authorizationUrlParams) {
    params = provider.hooks.authorizationUrlParams(params, input);
  }
  const url = new URL(provider.authorizationUrl);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

import {
  type CallOptions,
  processRevocationResponse,
  sendRevocationRequest,
  withRetry,
} from '@tokenlane/oauth';
import type { OAuth2Provider, RevokeInput, RevokeResult } from '../definition.js';

/**
 * Google revokes the whole grant on the first call: one request, with the refresh token
 * (the access token only when there is none). A second call with the access token would be
 * refused as an invalid token, which would fail a revocation that already succeeded.
 * @see https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
 */
export async function googleRevokeOnce(
  provider: OAuth2Provider,
  input: RevokeInput,
  options: CallOptions,
): Promise<RevokeResult> {
  const url = provider.revocationUrl;
  if (url === undefined)
    return { confirmed: false, reason: `${provider.id} has no revocation URL` };
  const token = input.refreshToken ?? input.accessToken;
  if (token === undefined) return { confirmed: false, reason: 'no token to revoke' };
  const hint = input.refreshToken === undefined ? 'access_token' : 'refresh_token';
  await withRetry('idempotent', options, async () => {
    processRevocationResponse(
      provider,
      await sendRevocationRequest(provider, url, token, hint, options),
    );
  });
  return { confirmed: true };
}

import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors.js';
import {
  SECRETS,
  mockHttpPerTest,
  recordInto,
  type RecordedRequest,
} from '../test-support/mock-http.js';
import { authorizationUrl, createPkce, usesPkce } from './authorization.js';
import type { OAuth2Client } from './client.js';
import { revokeTokens } from './revoke.js';
import { exchangeCode, refreshTokens } from './token.js';

// Any RFC 6749 server, described by plain data: nothing here comes from a catalog.
const withoutRevocation: OAuth2Client = {
  id: 'example',
  authorizationUrl: 'https://as.example/authorize',
  tokenUrl: 'https://as.example/token',
  clientId: 'client-id',
  clientSecret: new Secret(SECRETS.clientSecret),
  tokenEndpointAuthMethod: 'client_secret_basic',
  redirectUri: 'https://app.example/callback',
  scopes: ['read', 'write'],
  scopeSeparator: ' ',
  pkce: 'required',
};
const server: OAuth2Client = { ...withoutRevocation, revocationUrl: 'https://as.example/revoke' };
const http = mockHttpPerTest();
const at = () => http.agent.get('https://as.example');
const tokenAnswer = { access_token: SECRETS.accessToken, token_type: 'bearer', expires_in: 3600 };

describe('an OAuth 2.0 client given as plain parameters', () => {
  it('builds the authorization URL with PKCE S256, and refuses one without it when required', () => {
    const pkce = createPkce();
    const url = new URL(authorizationUrl(server, { state: 's', codeChallenge: pkce.challenge }));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-id',
      redirect_uri: 'https://app.example/callback',
      scope: 'read write',
      state: 's',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });
    expect(usesPkce(server)).toBe(true);
    expect(() => authorizationUrl(server, { state: 's' })).toThrow(ProviderError);
  });

  it('exchanges a code with Basic client authentication and the verifier', async () => {
    const requests: RecordedRequest[] = [];
    at()
      .intercept({ path: '/token', method: 'POST' })
      .reply(recordInto(requests, 200, { ...tokenAnswer, refresh_token: SECRETS.refreshToken }));
    const tokens = await exchangeCode(
      server,
      { code: new Secret(SECRETS.code), codeVerifier: new Secret('verifier') },
      http.options,
    );
    const basic = Buffer.from(`client-id:${SECRETS.clientSecret}`).toString('base64');
    expect(requests[0]?.headers.authorization).toBe(`Basic ${basic}`);
    expect(Object.fromEntries(new URLSearchParams(requests[0]?.body))).toEqual({
      grant_type: 'authorization_code',
      code: SECRETS.code,
      redirect_uri: 'https://app.example/callback',
      code_verifier: 'verifier',
    });
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.refreshToken?.reveal()).toBe(SECRETS.refreshToken);
  });

  it('ignores the user id of a token answer when told to (a separate look-up names users)', async () => {
    const named = { ...tokenAnswer, user_id: 'u-1' };
    const client = {
      ...server,
      hooks: { extractProviderUserId: () => ({ providerUserId: 'u-1' }) },
    };
    at().intercept({ path: '/token', method: 'POST' }).reply(200, named).times(2);
    const refreshToken = new Secret(SECRETS.refreshToken);
    const read = await refreshTokens(client, { refreshToken }, http.options);
    const ignored = await refreshTokens(
      { ...client, ignoreTokenUserId: true },
      { refreshToken },
      http.options,
    );
    expect(read.providerUserId).toBe('u-1');
    expect(ignored.providerUserId).toBeUndefined();
  });

  it("reads an error from the server's own body shape through its quirks", async () => {
    const client: OAuth2Client = {
      ...server,
      hooks: {
        errorString: (body) => (body as { failure?: { kind?: string } }).failure?.kind,
        classifyError: (body) =>
          (body as { failure?: { kind?: string } }).failure?.kind === 'busy'
            ? 'provider_unavailable'
            : undefined,
      },
    };
    at()
      .intercept({ path: '/token', method: 'POST' })
      .reply(400, { failure: { kind: 'invalid_grant' } });
    at()
      .intercept({ path: '/token', method: 'POST' })
      .reply(400, { failure: { kind: 'busy' } });
    const refreshToken = new Secret(SECRETS.refreshToken);
    const options = { ...http.options, retry: false as const };
    await expect(refreshTokens(client, { refreshToken }, options)).rejects.toMatchObject({
      code: 'invalid_grant',
      providerCode: 'invalid_grant',
    });
    await expect(refreshTokens(client, { refreshToken }, options)).rejects.toMatchObject({
      code: 'provider_unavailable',
      providerCode: 'busy',
    });
  });

  it('revokes the refresh token, then the access token (RFC 7009)', async () => {
    const requests: RecordedRequest[] = [];
    at()
      .intercept({ path: '/revoke', method: 'POST' })
      .reply(recordInto(requests, 200, ''))
      .times(2);
    const result = await revokeTokens(
      server,
      {
        accessToken: new Secret(SECRETS.accessToken),
        refreshToken: new Secret(SECRETS.refreshToken),
      },
      http.options,
    );
    expect(result).toEqual({ confirmed: true });
    expect(requests.map((r) => new URLSearchParams(r.body).get('token_type_hint'))).toEqual([
      'refresh_token',
      'access_token',
    ]);
    expect(await revokeTokens(withoutRevocation, { accessToken: new Secret('a') })).toEqual({
      confirmed: false,
      reason: 'example offers no revocation endpoint',
    });
  });
});

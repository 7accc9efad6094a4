import { createPkce } from '@tokenlane/oauth';
import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import { ProvidersFileError } from '../errors.js';
import { authorizationUrl, exchangeCode, revokeTokens } from '../protocol.js';
import { loadProviders } from '../registry/load.js';
import {
  SECRETS,
  mockHttpPerTest,
  oauth2Of,
  recordInto,
  type RecordedRequest,
} from '../test-support/mock-http.js';

// Oura's two OAuth servers (sources in oura.ts), checked at the network layer: the new one by
// default, the old one with `"endpoints": "legacy"`.
const http = mockHttpPerTest();
const credentials = { clientId: 'client-id', clientSecret: SECRETS.clientSecret };
const accessToken = new Secret(SECRETS.accessToken);
const refreshToken = new Secret(SECRETS.refreshToken);
const tokenAnswer = {
  access_token: SECRETS.accessToken,
  refresh_token: SECRETS.refreshToken,
  expires_in: 86_400,
  token_type: 'Bearer',
};

const ouraWith = (entry: object = {}) =>
  oauth2Of(
    loadProviders({
      publicUrl: 'https://tokenlane.test',
      file: { oura: { ...credentials, ...entry } },
    }),
    'oura',
  );

const authorizeQuery = (provider: ReturnType<typeof ouraWith>, codeChallenge?: string) =>
  new URL(
    authorizationUrl(provider, {
      state: 'state-1',
      ...(codeChallenge === undefined ? {} : { codeChallenge }),
    }),
  );

describe('oura: the new OAuth server by default', () => {
  const oura = ouraWith();

  it('authorizes at moi.ouraring.com with S256 and extapi scopes, and checks iss', () => {
    const pkce = createPkce();
    const url = authorizeQuery(oura, pkce.challenge);
    expect(url.origin + url.pathname).toBe('https://moi.ouraring.com/oauth/v2/ext/oauth-authorize');
    expect(url.searchParams.get('code_challenge')).toBe(pkce.challenge);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')?.split(' ')).toEqual([
      'extapi:personal',
      'extapi:daily',
      'extapi:heartrate',
      'extapi:workout',
      'extapi:session',
      'extapi:spo2',
      'extapi:stress',
      'extapi:heart_health',
    ]);
    expect(oura).toMatchObject({
      issuer: 'https://moi.ouraring.com/oauth/v2/ext/oauth-anonymous',
      authorizationResponseIss: true,
    });
    // PKCE is tokenlane's rule for this server: no authorization URL without a challenge.
    expect(() => authorizeQuery(oura)).toThrow(/requires PKCE/);
  });

  it('exchanges the code at oauth-token with Basic client authentication and the verifier', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://moi.ouraring.com')
      .intercept({ path: '/oauth/v2/ext/oauth-token', method: 'POST' })
      .reply(recordInto(requests, 200, tokenAnswer));
    const pkce = createPkce();
    const tokens = await exchangeCode(
      oura,
      { code: new Secret(SECRETS.code), codeVerifier: pkce.verifier },
      http.options,
    );
    expect(tokens.refreshToken?.reveal()).toBe(SECRETS.refreshToken);
    const expected = Buffer.from(`client-id:${SECRETS.clientSecret}`).toString('base64');
    expect(requests[0]!.headers.authorization).toBe(`Basic ${expected}`);
    const form = new URLSearchParams(requests[0]!.body);
    expect(form.get('code_verifier')).toBe(pkce.verifier.reveal());
    expect(form.has('client_secret')).toBe(false);
  });

  it('revokes as RFC 7009 says, at oauth-revoke: the refresh token, then the access token', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://moi.ouraring.com')
      .intercept({ path: '/oauth/v2/ext/oauth-revoke', method: 'POST' })
      .reply(recordInto(requests, 200, ''))
      .times(2);
    const result = await revokeTokens(oura, { accessToken, refreshToken }, http.options);
    expect(result).toEqual({ confirmed: true });
    expect(
      requests.map((request) => Object.fromEntries(new URLSearchParams(request.body))),
    ).toEqual([
      { token: SECRETS.refreshToken, token_type_hint: 'refresh_token' },
      { token: SECRETS.accessToken, token_type_hint: 'access_token' },
    ]);
    expect(requests.every((request) => request.headers.authorization?.startsWith('Basic '))).toBe(
      true,
    );
  });
});

describe('oura: "endpoints": "legacy" for an app from the old portal', () => {
  const legacy = ouraWith({ endpoints: 'legacy' });

  it('switches every URL back, with the bare scopes, no PKCE and no issuer', () => {
    const url = authorizeQuery(legacy);
    expect(url.origin + url.pathname).toBe('https://cloud.ouraring.com/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('personal daily heartrate workout session spo2');
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(legacy).toMatchObject({
      tokenUrl: 'https://api.ouraring.com/oauth/token',
      revocationUrl: 'https://api.ouraring.com/oauth/revoke',
      tokenEndpointAuthMethod: 'client_secret_post',
      pkce: 'none',
    });
    expect(legacy.issuer).toBeUndefined();
    expect(legacy.authorizationResponseIss).toBeUndefined();
  });

  it('exchanges at api.ouraring.com with the credentials in the form', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://api.ouraring.com')
      .intercept({ path: '/oauth/token', method: 'POST' })
      .reply(recordInto(requests, 200, tokenAnswer));
    await exchangeCode(legacy, { code: new Secret(SECRETS.code) }, http.options);
    expect(requests[0]!.headers.authorization).toBeUndefined();
    expect(new URLSearchParams(requests[0]!.body).get('client_secret')).toBe(SECRETS.clientSecret);
  });

  it('revokes the old way, the access token in the query', async () => {
    http.agent
      .get('https://api.ouraring.com')
      .intercept({ path: `/oauth/revoke?access_token=${SECRETS.accessToken}`, method: 'POST' })
      .reply(200, '');
    const result = await revokeTokens(legacy, { accessToken, refreshToken }, http.options);
    expect(result).toEqual({ confirmed: true });
  });

  it('keeps what the entry sets itself over the set', () => {
    const narrowed = ouraWith({
      endpoints: 'legacy',
      scopes: ['daily'],
      tokenUrl: 'https://proxy.example/oura/token',
    });
    expect(narrowed).toMatchObject({
      authorizationUrl: 'https://cloud.ouraring.com/oauth/authorize',
      tokenUrl: 'https://proxy.example/oura/token',
      scopes: ['daily'],
    });
  });
});

describe('"endpoints" in the providers file', () => {
  const loadWith = (file: object) => () =>
    loadProviders({ publicUrl: 'https://tokenlane.test', file });

  it('refuses a name the provider does not have, saying which it has', () => {
    for (const name of ['old', 'current', 'constructor', '']) {
      expect(loadWith({ oura: { ...credentials, endpoints: name } })).toThrow(ProvidersFileError);
    }
    expect(loadWith({ oura: { ...credentials, endpoints: 'old' } })).toThrow(
      '"oura".endpoints must be "legacy", or absent for the current endpoints',
    );
    expect(loadWith({ oura: { ...credentials, endpoints: 2 } })).toThrow(
      '"oura".endpoints must be a string',
    );
  });

  it('refuses it on a provider with one set of endpoints, built in or custom', () => {
    const oneSet = /endpoints must be absent \(this provider has one set of endpoints\)/;
    expect(loadWith({ whoop: { ...credentials, endpoints: 'legacy' } })).toThrow(oneSet);
    expect(
      loadWith({
        acme: {
          ...credentials,
          kind: 'oauth2',
          authorizationUrl: 'https://idp.example/auth',
          tokenUrl: 'https://idp.example/token',
          endpoints: 'legacy',
        },
      }),
    ).toThrow(oneSet);
    expect(loadWith({ garmin: { ...credentials, endpoints: 'legacy' } })).toThrow(
      '"garmin".endpoints is not a known field',
    );
  });
});

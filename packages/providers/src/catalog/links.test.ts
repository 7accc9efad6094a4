import {
  authenticateClient,
  basicAuthorization,
  createPkce,
  pkceChallenge,
} from '@tokenlane/oauth';
import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import { authorizationUrl, exchangePin, oauth2Client, revokeTokens } from '../protocol.js';
import { runPostLink } from '../oauth2/post-link.js';
import { loadProviders } from '../registry/load.js';
import {
  SECRETS,
  builtinRegistry,
  mockHttpPerTest,
  oauth2Of,
  recordInto,
  type RecordedRequest,
} from '../test-support/mock-http.js';

const registry = builtinRegistry();
const accessToken = new Secret(SECRETS.accessToken);
const http = mockHttpPerTest();

const query = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('authorization URLs', () => {
  it('fills the Device Access project id and asks Google for offline access', () => {
    const url = authorizationUrl(oauth2Of(registry, 'google-nest'), { state: 's1' });
    expect(
      url.startsWith('https://nestservices.google.com/partnerconnections/project-1/auth?'),
    ).toBe(true);
    expect(query(url)).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
      scope: 'https://www.googleapis.com/auth/sdm.service',
      redirect_uri: 'https://tokenlane.test/oauth/callback',
      state: 's1',
    });
  });

  it('joins scopes with the provider separator and adds PKCE S256', () => {
    const pkce = createPkce();
    expect(pkce.challenge).toBe(pkceChallenge(pkce.verifier.reveal()));
    const url = authorizationUrl(oauth2Of(registry, 'withings'), {
      state: 's2',
      codeChallenge: pkce.challenge,
    });
    expect(query(url)).toMatchObject({
      scope: 'user.info,user.metrics,user.activity',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      response_type: 'code',
    });
  });

  it('refuses a garmin-oauth2 link without PKCE', () => {
    expect(() => authorizationUrl(oauth2Of(registry, 'garmin-oauth2'), { state: 's' })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  it('gives Works with Nest only client_id and state', () => {
    const url = authorizationUrl(oauth2Of(registry, 'nest-legacy'), { state: 's3' });
    expect(query(url)).toEqual({ client_id: 'client-id', state: 's3' });
  });
});

describe('client_secret_basic', () => {
  it('form-urlencodes id and secret before base64 (RFC 6749 §2.3.1)', () => {
    const header = basicAuthorization('my client', new Secret('p@ss:w/rd+é'));
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    expect(decoded).toBe('my+client:p%40ss%3Aw%2Frd%2B%C3%A9');
  });

  it('builds the header once per provider config, and anew for a reloaded one', () => {
    const load = (clientId: string, clientSecret: string) =>
      oauth2Of(
        loadProviders({
          publicUrl: 'https://tokenlane.test',
          file: { oura: { clientId, clientSecret } },
        }),
        'oura',
      );
    const decode = (provider: ReturnType<typeof load>) =>
      Buffer.from(
        authenticateClient(oauth2Client(provider), new URLSearchParams()).authorization!.slice(
          'Basic '.length,
        ),
        'base64',
      ).toString('utf8');
    const first = load('client-a', 'secret-one');
    expect(decode(first)).toBe('client-a:secret-one');
    expect(decode(first)).toBe('client-a:secret-one');
    // A reloaded providers file: a changed secret, then a changed id, each gives a new header.
    expect(decode(load('client-a', 'secret-two'))).toBe('client-a:secret-two');
    expect(decode(load('client-b', 'secret-two'))).toBe('client-b:secret-two');
    // One Secret under two client ids (never from one file) still answers for each id.
    const shared = new Secret('shared');
    expect(basicAuthorization('x', shared)).not.toBe(basicAuthorization('y', shared));
  });
});

describe('nest-legacy PIN exchange', () => {
  it('posts client_id, client_secret, code and grant_type, and no redirect_uri', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://api.home.nest.com')
      .intercept({ path: '/oauth2/access_token', method: 'POST' })
      .reply(
        recordInto(requests, 200, { access_token: SECRETS.accessToken, expires_in: 315569260 }),
      );
    const tokens = await exchangePin(
      oauth2Of(registry, 'nest-legacy'),
      { pin: new Secret(SECRETS.pin) },
      http.options,
    );
    expect(Object.fromEntries(new URLSearchParams(requests[0]?.body))).toEqual({
      grant_type: 'authorization_code',
      code: SECRETS.pin,
      client_id: 'client-id',
      client_secret: SECRETS.clientSecret,
    });
    expect(tokens.accessToken.reveal()).toBe(SECRETS.accessToken);
  });

  it('is refused for a provider without the PIN flow', async () => {
    await expect(
      exchangePin(oauth2Of(registry, 'fitbit'), { pin: new Secret('1') }, http.options),
    ).rejects.toMatchObject({ code: 'unsupported' });
  });
});

describe('revocation', () => {
  it('uses RFC 7009 with token_type_hint for fitbit, refresh token first', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://api.fitbit.com')
      .intercept({ path: '/oauth2/revoke', method: 'POST' })
      .reply(recordInto(requests, 200, {}))
      .times(2);
    const result = await revokeTokens(
      oauth2Of(registry, 'fitbit'),
      { accessToken, refreshToken: new Secret(SECRETS.refreshToken) },
      http.options,
    );
    expect(result).toEqual({ confirmed: true });
    expect(requests.map((r) => Object.fromEntries(new URLSearchParams(r.body)))).toEqual([
      { token: SECRETS.refreshToken, token_type_hint: 'refresh_token' },
      { token: SECRETS.accessToken, token_type_hint: 'access_token' },
    ]);
    expect(requests[0]?.headers.authorization).toMatch(/^Basic /);
  });

  it.each([
    ['whoop', 'https://api.prod.whoop.com', '/developer/v2/user/access', 'DELETE'],
    ['garmin-oauth2', 'https://apis.garmin.com', '/wellness-api/rest/user/registration', 'DELETE'],
    ['polar', 'https://www.polaraccesslink.com', '/v3/users/10001', 'DELETE'],
  ])('%s deregisters with the bearer token', async (id, origin, path, method) => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get(origin)
      .intercept({ path, method })
      .reply(recordInto(requests, 204, ''));
    const result = await revokeTokens(
      oauth2Of(registry, id),
      { accessToken, providerUserId: '10001' },
      http.options,
    );
    expect(result.confirmed).toBe(true);
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${SECRETS.accessToken}`);
  });

  it('nest-legacy deletes the access token resource', async () => {
    http.agent
      .get('https://api.home.nest.com')
      .intercept({ path: `/oauth2/access_tokens/${SECRETS.accessToken}`, method: 'DELETE' })
      .reply(204, '');
    const result = await revokeTokens(
      oauth2Of(registry, 'nest-legacy'),
      { accessToken },
      http.options,
    );
    expect(result.confirmed).toBe(true);
  });

  it.each(['withings', 'dexcom'])(
    '%s has no revocation: confirmed false with a reason',
    async (id) => {
      const result = await revokeTokens(oauth2Of(registry, id), { accessToken }, http.options);
      expect(result.confirmed).toBe(false);
      expect(result.reason).toMatch(/no revocation endpoint/);
    },
  );
});

describe('garmin-oauth2 post-link', () => {
  it('looks up the Garmin userId', async () => {
    http.agent
      .get('https://apis.garmin.com')
      .intercept({ path: '/wellness-api/rest/user/id', method: 'GET' })
      .reply(
        200,
        { userId: 'd3315b1072421d0dd7c8f6b8e1de4df8' },
        {
          headers: { 'content-type': 'application/json' },
        },
      );
    const tokens = await runPostLink(
      oauth2Of(registry, 'garmin-oauth2'),
      { accessToken, tokenType: 'Bearer', metadata: {} },
      { memberId: 'conn-2' },
      http.options,
    );
    expect(tokens.providerUserId).toBe('d3315b1072421d0dd7c8f6b8e1de4df8');
  });
});

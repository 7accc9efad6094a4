import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import { ProvidersFileError } from '../errors.js';
import { authorizationUrl, exchangeCode, revokeTokens } from '../protocol.js';
import { notificationFormatOf } from '../notifications/intake.js';
import { runPostLink } from '../oauth2/post-link.js';
import { loadProviders } from '../registry/load.js';
import { isRetired, sunsetInstant } from '../registry/sunset.js';
import {
  SECRETS,
  builtinRegistry,
  mockHttpPerTest,
  oauth2Of,
  recordInto,
  type RecordedRequest,
} from '../test-support/mock-http.js';

// The provider facts that changed in 2026, each checked at the network layer against the
// request and answer shapes the providers document (sources in each catalog file). Oura's
// new OAuth server, and its old one behind "endpoints": "legacy", are in oura-server.test.ts.
const registry = builtinRegistry();
const accessToken = new Secret(SECRETS.accessToken);
const refreshToken = new Secret(SECRETS.refreshToken);
const credentials = { clientId: 'client-id', clientSecret: SECRETS.clientSecret };
const http = mockHttpPerTest();

describe('strava revocation moved to POST /oauth/revoke', () => {
  it('sends the refresh token once, with Basic client authentication', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://www.strava.com')
      .intercept({ path: '/oauth/revoke', method: 'POST' })
      .reply(recordInto(requests, 200, {}));
    const result = await revokeTokens(
      oauth2Of(registry, 'strava'),
      { accessToken, refreshToken },
      http.options,
    );
    expect(result).toEqual({ confirmed: true });
    expect(requests).toHaveLength(1);
    const expected = Buffer.from(`client-id:${SECRETS.clientSecret}`).toString('base64');
    expect(requests[0]!.headers.authorization).toBe(`Basic ${expected}`);
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.body))).toEqual({
      token: SECRETS.refreshToken,
    });
  });

  it('falls back to the access token, and counts an unknown token as already revoked', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://www.strava.com')
      .intercept({ path: '/oauth/revoke', method: 'POST' })
      .reply(recordInto(requests, 400, { error: 'invalid_grant' }));
    const result = await revokeTokens(oauth2Of(registry, 'strava'), { accessToken }, http.options);
    expect(result).toEqual({ confirmed: true, reason: 'already revoked' });
    expect(new URLSearchParams(requests[0]!.body).get('token')).toBe(SECRETS.accessToken);
  });
});

describe.each(['google-health', 'google-nest'])('%s revokes once', (id) => {
  it('one POST to oauth2.googleapis.com/revoke with the refresh token (the grant goes with it)', async () => {
    const requests: RecordedRequest[] = [];
    // Google answers 200 {} for the first call; a second call with the access token would be
    // 400 invalid_token. Only one interceptor: a second request fails this test.
    http.agent
      .get('https://oauth2.googleapis.com')
      .intercept({ path: '/revoke', method: 'POST' })
      .reply(recordInto(requests, 200, {}));
    const result = await revokeTokens(
      oauth2Of(registry, id),
      { accessToken, refreshToken },
      http.options,
    );
    expect(result).toEqual({ confirmed: true });
    expect(requests).toHaveLength(1);
    expect(new URLSearchParams(requests[0]!.body).get('token')).toBe(SECRETS.refreshToken);
    expect(new URLSearchParams(requests[0]!.body).get('token_type_hint')).toBe('refresh_token');
  });
});

describe('google-health scopes', () => {
  it('asks for the current googlehealth scopes, sleep included, offline with consent', () => {
    const url = new URL(
      authorizationUrl(oauth2Of(registry, 'google-health'), {
        state: 's',
        redirectUri: 'https://tokenlane.test/oauth/callback',
      }),
    );
    expect(url.searchParams.get('scope')?.split(' ')).toEqual([
      'openid',
      'https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly',
      'https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly',
      'https://www.googleapis.com/auth/googlehealth.sleep.readonly',
      'https://www.googleapis.com/auth/googlehealth.profile.readonly',
    ]);
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
  });
});

/** An unsigned id_token as Google's token endpoint sends one (only `sub` and `aud` matter). */
const idToken = (sub: string) =>
  `e30.${Buffer.from(JSON.stringify({ sub, aud: 'client-id', iss: 'https://accounts.google.com' })).toString('base64url')}.sig`;

// Checked 2026-12-06: users.getIdentity's healthUserId names the Google Health user; nothing
// says it equals the id_token's sub (developers.google.com/health/reference/rest/v4/users/getIdentity).
describe('google-health: the user is healthUserId, never the id_token sub', () => {
  const googleToken = () =>
    http.agent
      .get('https://oauth2.googleapis.com')
      .intercept({ path: '/token', method: 'POST' })
      .reply(
        200,
        {
          access_token: SECRETS.accessToken,
          refresh_token: SECRETS.refreshToken,
          expires_in: 3599,
          token_type: 'Bearer',
          scope: 'openid',
          id_token: idToken('110248495921238986420'),
        },
        { headers: { 'content-type': 'application/json' } },
      );
  const identity = () =>
    http.agent
      .get('https://health.googleapis.com')
      .intercept({ path: '/v4/users/me/identity', method: 'GET' });
  const link = async () => {
    const provider = oauth2Of(registry, 'google-health');
    const exchanged = await exchangeCode(
      provider,
      { code: new Secret(SECRETS.code) },
      http.options,
    );
    // The token answer alone names nobody: the id_token's sub is not the Google Health user.
    expect(exchanged.providerUserId).toBeUndefined();
    return runPostLink(provider, exchanged, { memberId: 'm' }, http.options);
  };

  it('takes healthUserId from users.getIdentity', async () => {
    googleToken();
    identity().reply(
      200,
      { name: 'users/me/identity', healthUserId: 'NGL8Q2x', legacyUserId: '2E4RVC' },
      { headers: { 'content-type': 'application/json' } },
    );
    const linked = await link();
    expect(linked.providerUserId).toBe('NGL8Q2x');
    expect(linked.identityPending).toBeUndefined();
    expect(linked.metadata).toEqual({ healthUserId: 'NGL8Q2x', legacyUserId: '2E4RVC' });
  });

  it('a failed look-up leaves the identity pending, not the sub', async () => {
    googleToken();
    identity().reply(503, '').times(3);
    const linked = await link();
    expect(linked.providerUserId).toBeUndefined();
    expect(linked.identityPending).toBe('provider_unavailable');
    expect(linked.refreshToken?.reveal()).toBe(SECRETS.refreshToken);
  });

  it('an answer without healthUserId is invalid_response (not retried in-call), asked again later', async () => {
    googleToken();
    identity().reply(
      200,
      { name: 'users/me/identity' },
      { headers: { 'content-type': 'application/json' } },
    );
    const linked = await link();
    expect(linked.providerUserId).toBeUndefined();
    expect(linked.identityPending).toBe('invalid_response');
  });
});

// Checked 2026-12-06: Google Health notifications are data changes only (UPSERT or DELETE of a
// data type's points), with no revocation notice (developers.google.com/health/webhooks,
// developers.google.com/health/notifications): no intake to offer.
it('google-health has no notification intake', () => {
  const provider = registry.require('google-health');
  expect(provider.notifications).toBeUndefined();
  expect(notificationFormatOf(provider)).toBeUndefined();
});

describe('dexcom regions: the US, EU and Japan hosts of the v3 endpoint overview, and sandbox', () => {
  const dexcomIn = (region: string, extra: object = {}) =>
    oauth2Of(
      loadProviders({
        publicUrl: 'https://tokenlane.test',
        file: { dexcom: { ...credentials, region, ...extra } },
      }),
      'dexcom',
    );

  it.each([
    ['us', 'https://api.dexcom.com'],
    ['eu', 'https://api.dexcom.eu'],
    ['jp', 'https://api.dexcom.jp'],
    ['sandbox', 'https://sandbox-api.dexcom.com'],
  ])('%s: login and token on %s', async (region, origin) => {
    const dexcom = dexcomIn(region);
    expect(dexcom.authorizationUrl).toBe(`${origin}/v2/oauth2/login`);
    const requests: RecordedRequest[] = [];
    // Dexcom's documented token answer.
    http.agent
      .get(origin)
      .intercept({ path: '/v2/oauth2/token', method: 'POST' })
      .reply(
        recordInto(requests, 200, {
          access_token: SECRETS.accessToken,
          expires_in: 7200,
          token_type: 'Bearer',
          refresh_token: SECRETS.refreshToken,
        }),
      );
    const tokens = await exchangeCode(dexcom, { code: new Secret(SECRETS.code) }, http.options);
    expect(tokens.refreshToken?.reveal()).toBe(SECRETS.refreshToken);
    expect(new URLSearchParams(requests[0]!.body).get('client_secret')).toBe(SECRETS.clientSecret);
  });

  it('keeps a URL the entry sets itself, and refuses an unknown region', () => {
    expect(dexcomIn('eu', { tokenUrl: 'https://proxy.example/token' })).toMatchObject({
      authorizationUrl: 'https://api.dexcom.eu/v2/oauth2/login',
      tokenUrl: 'https://proxy.example/token',
    });
    expect(() => dexcomIn('mars')).toThrow(ProvidersFileError);
    expect(() => dexcomIn('mars')).toThrow(
      /"dexcom".region must be "us" or "eu" or "jp" or "sandbox"/,
    );
    expect(() =>
      loadProviders({
        publicUrl: 'https://tokenlane.test',
        file: { oura: { ...credentials, region: 'eu' } },
      }),
    ).toThrow(/has no regions/);
  });
});

describe('nest-legacy: Works with Nest stopped on 2023-09-29 (Google Nest Help)', () => {
  it('is retired from the start of that day (UTC), its users moving to google-nest', () => {
    const nest = registry.require('nest-legacy');
    expect(sunsetInstant(nest)?.toISOString()).toBe('2023-09-29T00:00:00.000Z');
    expect(isRetired(nest, new Date('2023-09-28T23:59:59Z'))).toBe(false);
    expect(isRetired(nest, new Date('2023-09-29T00:00:00Z'))).toBe(true);
    expect(nest.successor).toBe('google-nest');
  });
});

describe('refresh tokens that expire on their own', () => {
  const googleInTesting = () =>
    oauth2Of(
      loadProviders({
        publicUrl: 'https://tokenlane.test',
        file: { 'google-health': { ...credentials, refreshTokenLifetimeDays: 7 } },
      }),
      'google-health',
    );
  const answer = (extra: object = {}) => ({
    access_token: SECRETS.accessToken,
    refresh_token: SECRETS.refreshToken,
    expires_in: 3599,
    token_type: 'Bearer',
    scope: 'openid',
    ...extra,
  });

  it('a lifetime declared on the provider (Google apps in Testing: 7 days) dates the refresh token', async () => {
    http.agent
      .get('https://oauth2.googleapis.com')
      .intercept({ path: '/token', method: 'POST' })
      .reply(200, answer(), { headers: { 'content-type': 'application/json' } });
    const now = Date.now();
    const tokens = await exchangeCode(
      googleInTesting(),
      { code: new Secret(SECRETS.code) },
      http.options,
    );
    const lifetime = tokens.refreshTokenExpiresAt!.getTime() - now;
    expect(lifetime).toBeGreaterThanOrEqual(7 * 86_400_000 - 1_000);
    expect(lifetime).toBeLessThanOrEqual(7 * 86_400_000 + 1_000);
  });

  it('refresh_token_expires_in in the answer wins over a declared lifetime', async () => {
    http.agent
      .get('https://oauth2.googleapis.com')
      .intercept({ path: '/token', method: 'POST' })
      .reply(200, answer({ refresh_token_expires_in: 3_600 }), {
        headers: { 'content-type': 'application/json' },
      });
    const now = Date.now();
    const tokens = await exchangeCode(
      googleInTesting(),
      { code: new Secret(SECRETS.code) },
      http.options,
    );
    expect(tokens.refreshTokenExpiresAt!.getTime() - now).toBeLessThanOrEqual(3_601_000);
  });
});

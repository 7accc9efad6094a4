import { inspect } from 'node:util';
import { ProviderError } from '@tokenlane/oauth';
import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import { exchangeCode, refreshTokens } from '../protocol.js';
import { runPostLink } from '../oauth2/post-link.js';
import {
  SECRETS,
  builtinRegistry,
  containsSecret,
  mockHttpPerTest,
  oauth2Of,
  recordInto,
  type RecordedRequest,
} from '../test-support/mock-http.js';

const registry = builtinRegistry();
const code = new Secret(SECRETS.code);
const refreshToken = new Secret(SECRETS.refreshToken);
const http = mockHttpPerTest();

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  const providerError = error as ProviderError;
  expect(containsSecret(providerError.message)).toBe(false);
  expect(containsSecret(JSON.stringify(providerError))).toBe(false);
  expect(containsSecret(inspect(providerError, { showHidden: true, depth: 5 }))).toBe(false);
  return providerError;
}

describe('withings', () => {
  const withings = oauth2Of(registry, 'withings');
  const api = () => http.agent.get('https://wbsapi.withings.net');

  it('sends action=requesttoken and unwraps {status: 0, body}', async () => {
    const requests: RecordedRequest[] = [];
    // Documented shape: developer.withings.com/api-reference/#tag/oauth2/operation/oauth2-getaccesstoken
    const body = {
      userid: 363,
      access_token: SECRETS.accessToken,
      refresh_token: SECRETS.refreshToken,
      expires_in: 10800,
      scope: 'user.info,user.metrics',
      csrf_token: 'PACnnxwHTaBQOzF7bQqwFUUotIuvtzSM',
      token_type: 'Bearer',
    };
    api()
      .intercept({ path: '/v2/oauth2', method: 'POST' })
      .reply(recordInto(requests, 200, { status: 0, body }));
    const now = Date.now();
    const tokens = await exchangeCode(withings, { code }, http.options);
    const form = new URLSearchParams(requests[0]?.body);
    expect(form.get('action')).toBe('requesttoken');
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('client_secret')).toBe(SECRETS.clientSecret);
    expect(tokens.accessToken.reveal()).toBe(SECRETS.accessToken);
    expect(tokens.providerUserId).toBe('363');
    expect(tokens.scopes).toEqual(['user.info', 'user.metrics']);
    expect(tokens.expiresAt!.getTime()).toBeGreaterThanOrEqual(now + 10_800_000);
  });

  it('maps {status: 601, error} to rate_limited and a bad refresh token to invalid_grant', async () => {
    api()
      .intercept({ path: '/v2/oauth2', method: 'POST' })
      .reply(200, { status: 601, body: {}, error: 'Too Many Requests' });
    const limited = await failure(refreshTokens(withings, { refreshToken }, http.options));
    expect(limited).toMatchObject({ code: 'rate_limited', retryable: true, providerCode: '601' });

    const requests: RecordedRequest[] = [];
    api()
      .intercept({ path: '/v2/oauth2', method: 'POST' })
      .reply(
        recordInto(requests, 200, {
          status: 503,
          body: {},
          error: `Invalid Params: invalid refresh_token ${SECRETS.refreshToken}`,
        }),
      );
    const refused = await failure(refreshTokens(withings, { refreshToken }, http.options));
    expect(refused).toMatchObject({ code: 'invalid_grant', retryable: false });
    expect(new URLSearchParams(requests[0]?.body).get('action')).toBe('requesttoken');
  });
});

describe('whoop', () => {
  it('sends scope=offline on refresh and takes the rotated refresh token', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://api.prod.whoop.com')
      .intercept({ path: '/oauth/oauth2/token', method: 'POST' })
      .reply(
        recordInto(requests, 200, {
          access_token: SECRETS.accessToken,
          expires_in: 3600,
          refresh_token: SECRETS.newRefreshToken,
          scope: 'offline read:profile',
          token_type: 'bearer',
        }),
      );
    const tokens = await refreshTokens(oauth2Of(registry, 'whoop'), { refreshToken }, http.options);
    const form = new URLSearchParams(requests[0]?.body);
    expect(form.get('scope')).toBe('offline');
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('refresh_token')).toBe(SECRETS.refreshToken);
    expect(tokens.refreshToken?.reveal()).toBe(SECRETS.newRefreshToken);
    expect(tokens.tokenType).toBe('Bearer');
  });
});

describe('fitbit', () => {
  const fitbit = oauth2Of(registry, 'fitbit');
  const api = () => http.agent.get('https://api.fitbit.com');

  it('authenticates with Basic and keeps user_id as providerUserId', async () => {
    const requests: RecordedRequest[] = [];
    api()
      .intercept({ path: '/oauth2/token', method: 'POST' })
      .reply(
        recordInto(requests, 200, {
          access_token: SECRETS.accessToken,
          expires_in: 28800,
          refresh_token: SECRETS.newRefreshToken,
          scope: 'heartrate activity sleep profile',
          token_type: 'Bearer',
          user_id: 'GGNJL9',
        }),
      );
    const tokens = await refreshTokens(fitbit, { refreshToken }, http.options);
    const basic = Buffer.from(`client-id:${SECRETS.clientSecret}`).toString('base64');
    expect(requests[0]?.headers.authorization).toBe(`Basic ${basic}`);
    expect(new URLSearchParams(requests[0]?.body).has('client_secret')).toBe(false);
    expect(tokens.providerUserId).toBe('GGNJL9');
    expect(tokens.refreshToken?.reveal()).toBe(SECRETS.newRefreshToken);
  });

  it('classifies {errors:[{errorType}]} without repeating the echoed token', async () => {
    // Fitbit echoes the refused refresh token in `message`.
    api()
      .intercept({ path: '/oauth2/token', method: 'POST' })
      .reply(400, {
        errors: [
          { errorType: 'invalid_grant', message: `Refresh token invalid: ${SECRETS.refreshToken}` },
        ],
        success: false,
      });
    const error = await failure(refreshTokens(fitbit, { refreshToken }, http.options));
    expect(error).toMatchObject({
      code: 'invalid_grant',
      status: 400,
      providerCode: 'invalid_grant',
    });
  });
});

describe('polar', () => {
  it('reads x_user_id, has no expiry without expires_in, and registers the user', async () => {
    const polar = oauth2Of(registry, 'polar');
    http.agent
      .get('https://polarremote.com')
      .intercept({ path: '/v2/oauth2/token', method: 'POST' })
      .reply(200, { access_token: SECRETS.accessToken, token_type: 'bearer', x_user_id: 10001 });
    const tokens = await exchangeCode(polar, { code }, http.options);
    expect(tokens.providerUserId).toBe('10001');
    expect(tokens.expiresAt).toBeUndefined();
    expect(tokens.refreshToken).toBeUndefined();

    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://www.polaraccesslink.com')
      .intercept({ path: '/v3/users', method: 'POST' })
      .reply(recordInto(requests, 200, { 'polar-user-id': 10001, 'member-id': 'conn-1' }));
    const linked = await runPostLink(polar, tokens, { memberId: 'conn-1' }, http.options);
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ 'member-id': 'conn-1' });
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${SECRETS.accessToken}`);
    expect(linked.providerUserId).toBe('10001');
    expect(linked).toBe(tokens);
  });
});

describe('strava', () => {
  it('turns the athlete object into providerUserId and metadata', async () => {
    http.agent
      .get('https://www.strava.com')
      .intercept({ path: '/oauth/token', method: 'POST' })
      .reply(200, {
        token_type: 'Bearer',
        expires_at: 1568775134,
        expires_in: 21600,
        refresh_token: SECRETS.refreshToken,
        access_token: SECRETS.accessToken,
        athlete: { id: 1234567, username: 'marianne_t', firstname: 'Marianne' },
      });
    const tokens = await exchangeCode(oauth2Of(registry, 'strava'), { code }, http.options);
    expect(tokens.providerUserId).toBe('1234567');
    expect(tokens.metadata).toEqual({ athleteId: 1234567, athleteUsername: 'marianne_t' });
  });
});

describe('google refresh without refresh_token', () => {
  it('keeps the old refresh token', async () => {
    http.agent
      .get('https://oauth2.googleapis.com')
      .intercept({ path: '/token', method: 'POST' })
      .reply(200, { access_token: SECRETS.accessToken, expires_in: 3599, token_type: 'Bearer' });
    const tokens = await refreshTokens(
      oauth2Of(registry, 'google-health'),
      { refreshToken },
      http.options,
    );
    expect(tokens.refreshToken).toBe(refreshToken);
    expect(tokens.refreshTokenExpiresAt).toBeUndefined();
  });
});

import { ProviderError } from '@tokenlane/oauth';
import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import type { OAuth1Provider } from '../definition.js';
import { builtinRegistry, mockHttpPerTest } from '../test-support/mock-http.js';
import { checkOAuth1Grant } from './grant-check.js';

const garmin = builtinRegistry().require('garmin') as OAuth1Provider;
const tokens = { token: new Secret('oauth1-token-1'), tokenSecret: new Secret('oauth1-secret-1') };
const http = mockHttpPerTest();

/** The control call (request token, consumer only) and the grant check (user id, user token). */
function answer(control: [number, string], grant?: [number, string]) {
  http.agent
    .get('https://connectapi.garmin.com')
    .intercept({ path: '/oauth-service/oauth/request_token', method: 'POST' })
    .reply(...control);
  if (grant === undefined) return;
  http.agent
    .get('https://apis.garmin.com')
    .intercept({ path: '/wellness-api/rest/user/id', method: 'GET' })
    .reply(...grant);
}

const requestToken: [number, string] = [200, 'oauth_token=rt&oauth_token_secret=rts'];

describe('checkOAuth1Grant: a 401 is the user\u2019s only when our own calls work', () => {
  it('is the grant gone when the control call works and the user\u2019s token is refused', async () => {
    answer(requestToken, [401, '']);
    expect(await checkOAuth1Grant(garmin, tokens, http.options)).toBe('grant_gone');
  });

  it('is the grant working when the user\u2019s token still reads the user id', async () => {
    answer(requestToken, [200, '{"userId":"u-1"}']);
    expect(await checkOAuth1Grant(garmin, tokens, http.options)).toBe('grant_works');
  });

  it('is our credentials when the consumer-only call is refused, without touching the user', async () => {
    answer([401, 'oauth_problem=signature_invalid']);
    expect(await checkOAuth1Grant(garmin, tokens, http.options)).toBe('credentials');
    answer([401, '']);
    expect(await checkOAuth1Grant(garmin, tokens, http.options)).toBe('credentials');
  });

  it('is our clock when the provider refuses the timestamp', async () => {
    answer([401, 'oauth_problem=timestamp_refused']);
    expect(await checkOAuth1Grant(garmin, tokens, http.options)).toBe('clock');
  });

  it('proves nothing from a 404 of the check, and throws a provider outage for a later try', async () => {
    answer(requestToken, [404, '']);
    expect(await checkOAuth1Grant(garmin, tokens, http.options)).toBe('unverifiable');
    for (let i = 0; i < 3; i += 1) answer([503, '']);
    const outage = await checkOAuth1Grant(garmin, tokens, http.options).catch((e: unknown) => e);
    expect(outage).toBeInstanceOf(ProviderError);
    expect((outage as ProviderError).code).toBe('provider_unavailable');
  });

  it('is unverifiable for a provider that declares no grant check', async () => {
    const bare = Object.fromEntries(
      Object.entries(garmin).filter(([key]) => key !== 'grantCheckPath'),
    ) as OAuth1Provider;
    expect(await checkOAuth1Grant(bare, tokens, http.options)).toBe('unverifiable');
  });
});

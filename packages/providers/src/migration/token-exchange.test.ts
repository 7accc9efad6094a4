import { ProviderError } from '@tokenlane/oauth';
import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import {
  SECRETS,
  builtinRegistry,
  containsSecret,
  mockHttpPerTest,
  oauth2Of,
  recordInto,
  type RecordedRequest,
} from '../test-support/mock-http.js';
import {
  exchangeOAuth1Token,
  supportsTokenExchange,
  tokenExchangeRefusal,
} from './token-exchange.js';

const registry = builtinRegistry();
const garmin = registry.require('garmin');
const garminOAuth2 = oauth2Of(registry, 'garmin-oauth2');
const tokens = {
  token: new Secret('oauth1-token-77aa'),
  tokenSecret: new Secret('oauth1-secret-88bb'),
};
const http = mockHttpPerTest();

const api = () => http.agent.get('https://apis.garmin.com');
const path = '/partner-gateway/rest/user/token-exchange';

describe('Garmin OAuth 1.0a → 2.0 token exchange', () => {
  if (garmin.kind !== 'oauth1') throw new Error('garmin must be OAuth 1.0a');

  it('is supported from garmin to garmin-oauth2 only', () => {
    expect(supportsTokenExchange(garmin, garminOAuth2)).toBe(true);
    expect(
      supportsTokenExchange(registry.require('fitbit'), oauth2Of(registry, 'google-health')),
    ).toBe(false);
  });

  it('signs a POST with the user token and reads the documented OAuth 2.0 answer', async () => {
    const requests: RecordedRequest[] = [];
    // The answer open-source Garmin integrations document for the exchange.
    api()
      .intercept({ path, method: 'POST' })
      .reply(
        recordInto(requests, 200, {
          access_token: SECRETS.accessToken,
          refresh_token: SECRETS.refreshToken,
          token_type: 'bearer',
          expires_in: 86_400,
          refresh_token_expires_in: 7_776_000,
          scope: 'PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE',
        }),
      );
    const now = Date.now();
    const result = await exchangeOAuth1Token(garmin, garminOAuth2, tokens, http.options);
    expect(result.accessToken.reveal()).toBe(SECRETS.accessToken);
    expect(result.refreshToken?.reveal()).toBe(SECRETS.refreshToken);
    expect(result.tokenType).toBe('Bearer');
    expect(result.expiresAt!.getTime() - now).toBeGreaterThanOrEqual(86_399_000);
    expect(result.refreshTokenExpiresAt!.getTime() - now).toBeGreaterThanOrEqual(7_775_999_000);
    const authorization = requests[0]!.headers.authorization!;
    expect(authorization).toMatch(/^OAuth /);
    expect(authorization).toContain('oauth_token="oauth1-token-77aa"');
    expect(authorization).toContain('oauth_signature_method="HMAC-SHA1"');
    expect(authorization).not.toContain('oauth1-secret-88bb');
    expect(authorization).not.toContain(SECRETS.clientSecret);
  });

  it('names our own refusals, suspects the grant on the rest, and never re-sends after an answer', async () => {
    const refusal = async (status: number, body: string) => {
      api().intercept({ path, method: 'POST' }).reply(status, body);
      const error = await exchangeOAuth1Token(garmin, garminOAuth2, tokens, http.options).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect(containsSecret((error as Error).message)).toBe(false);
      return tokenExchangeRefusal(error as ProviderError);
    };
    // A dead token and our own bad signature both answer 401: only the body can tell, and a
    // token problem is a suspicion to check, never proof.
    expect(await refusal(401, 'oauth_problem=token_rejected')).toBe('grant');
    expect(await refusal(401, '')).toBe('grant');
    expect(await refusal(401, 'oauth_problem=signature_invalid')).toBe('credentials');
    expect(await refusal(401, 'oauth_problem=consumer_key_rejected')).toBe('credentials');
    expect(await refusal(401, 'oauth_problem=timestamp_refused')).toBe('clock');
    expect(await refusal(503, '')).toBe('transient');
    expect(await refusal(400, '{"error":"invalid_request"}')).toBe('refused');
  });
});

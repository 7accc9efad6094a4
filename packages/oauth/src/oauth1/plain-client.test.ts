import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import {
  SECRETS,
  mockHttpPerTest,
  recordInto,
  type RecordedRequest,
} from '../test-support/mock-http.js';
import {
  getRequestToken,
  oauth1AuthorizationUrl,
  signRequest,
  type OAuth1Client,
} from './client.js';

const server: OAuth1Client = {
  id: 'example',
  requestTokenUrl: 'https://as.example/oauth/request_token',
  authorizationUrl: 'https://as.example/oauth/authorize',
  accessTokenUrl: 'https://as.example/oauth/access_token',
  clientId: 'consumer-key',
  clientSecret: new Secret(SECRETS.clientSecret),
  redirectUri: 'https://app.example/callback',
};
const http = mockHttpPerTest();

describe('an OAuth 1.0a client given as plain parameters', () => {
  it('signs with HMAC-SHA1 in the Authorization header (RFC 5849 §3.5.1)', () => {
    const header = signRequest(server, { method: 'GET', url: 'https://api.example/user' });
    expect(header).toMatch(/^OAuth /);
    expect(header).toContain('oauth_consumer_key="consumer-key"');
    expect(header).toContain('oauth_signature_method="HMAC-SHA1"');
    expect(header).toMatch(/oauth_signature="[^"]+"/);
    expect(header).not.toContain(SECRETS.clientSecret);
  });

  it('obtains a request token with the callback, then points the user at it', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://as.example')
      .intercept({ path: '/oauth/request_token', method: 'POST' })
      .reply(
        recordInto(
          requests,
          200,
          'oauth_token=rt&oauth_token_secret=rts&oauth_callback_confirmed=true',
          { 'content-type': 'application/x-www-form-urlencoded' },
        ),
      );
    const token = await getRequestToken(server, {}, http.options);
    expect(token.requestToken.reveal()).toBe('rt');
    expect(token.callbackConfirmed).toBe(true);
    expect(requests[0]?.headers.authorization).toContain(
      `oauth_callback="${encodeURIComponent('https://app.example/callback')}"`,
    );
    expect(oauth1AuthorizationUrl(server, token.requestToken)).toBe(
      'https://as.example/oauth/authorize?oauth_token=rt',
    );
  });
});

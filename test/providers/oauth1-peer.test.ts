import { inspect } from 'node:util';
import { createHttpAgent } from '@tokenlane/oauth';
import {
  ProviderError,
  getAccessToken,
  getRequestToken,
  loadProviders,
  oauth1AuthorizationUrl,
  revokeOAuth1Tokens,
  runOAuth1PostLink,
  signRequest,
  type CallOptions,
  type OAuth1Provider,
  type ProviderRegistry,
} from '@tokenlane/providers';
import { Secret } from '@tokenlane/vault';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOAuth1Peer, type OAuth1Peer } from '../peers/oauth1-peer.js';

const consumerSecret = 'consumer-secret-&-more';
let peer: OAuth1Peer;
let registry: ProviderRegistry;
const agent = createHttpAgent();
const options: CallOptions = { dispatcher: agent, retry: { minTimeoutMs: 1, maxTimeoutMs: 5 } };

function oauth1(id: string): OAuth1Provider {
  const provider = registry.require(id);
  if (provider.kind !== 'oauth1') throw new Error(id);
  return provider;
}

beforeAll(async () => {
  peer = await startOAuth1Peer({ consumers: { 'consumer-key': consumerSecret } });
  const endpoints = {
    requestTokenUrl: peer.requestTokenUrl,
    authorizationUrl: peer.authorizationUrl,
    accessTokenUrl: peer.accessTokenUrl,
  };
  registry = loadProviders({
    publicUrl: 'https://tokenlane.test',
    file: {
      // The built-in, pointed at the peer: every endpoint is overridable.
      garmin: {
        ...endpoints,
        revocationUrl: peer.revocationUrl,
        apiBaseUrl: peer.apiBaseUrl,
        clientId: 'consumer-key',
        clientSecret: consumerSecret,
      },
      legacy: {
        kind: 'oauth1',
        ...endpoints,
        clientId: 'consumer-key',
        clientSecret: consumerSecret,
      },
      'legacy-pin': {
        kind: 'oauth1',
        ...endpoints,
        pin: true,
        clientId: 'consumer-key',
        clientSecret: consumerSecret,
      },
      'legacy-wrong': {
        kind: 'oauth1',
        ...endpoints,
        clientId: 'consumer-key',
        clientSecret: 'not-it',
      },
    },
  });
});

afterAll(async () => {
  await agent.close();
  await peer.close();
});

async function link(provider: OAuth1Provider) {
  const temporary = await getRequestToken(provider, {}, options);
  expect(temporary.callbackConfirmed).toBe(true);
  const back = await peer.approve(oauth1AuthorizationUrl(provider, temporary.requestToken));
  expect(back.searchParams.get('oauth_token')).toBe(temporary.requestToken.reveal());
  const verifier = new Secret(back.searchParams.get('oauth_verifier') ?? '');
  return { back, tokens: await getAccessToken(provider, { ...temporary, verifier }, options) };
}

describe('OAuth 1.0a against a peer verifying with oauth-sign', () => {
  it('links the built-in garmin end to end, looks up the user id, then deregisters', async () => {
    const garmin = oauth1('garmin');
    const { back, tokens } = await link(garmin);
    expect(back.origin + back.pathname).toBe('https://tokenlane.test/oauth/callback');
    expect(tokens.token).toBeInstanceOf(Secret);
    expect(tokens.tokenSecret).toBeInstanceOf(Secret);
    const linked = await runOAuth1PostLink(garmin, tokens, options);
    expect(linked.providerUserId).toBe(peer.userId);
    expect(peer.liveAccessTokens()).toBe(1);
    expect(await revokeOAuth1Tokens(garmin, linked, options)).toEqual({ confirmed: true });
    expect(peer.liveAccessTokens()).toBe(0);
  });

  it('drives a custom provider from the providers file, and the PIN (oob) flow', async () => {
    const { tokens } = await link(oauth1('legacy'));
    expect(tokens.token.reveal()).not.toBe('');
    const pin = await link(oauth1('legacy-pin'));
    expect(pin.back.pathname).toBe('/oauth/pin');
    expect(pin.tokens.tokenSecret).toBeInstanceOf(Secret);
  });

  it('a verifier is single use: the second exchange is refused (invalid_grant)', async () => {
    const provider = oauth1('legacy');
    const temporary = await getRequestToken(provider, {}, options);
    const back = await peer.approve(oauth1AuthorizationUrl(provider, temporary.requestToken));
    const verifier = new Secret(back.searchParams.get('oauth_verifier') ?? '');
    await getAccessToken(provider, { ...temporary, verifier }, options);
    await expect(
      getAccessToken(provider, { ...temporary, verifier }, options),
    ).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('a wrong signature → unauthorized, without the secret in the error', async () => {
    const error = await getRequestToken(oauth1('legacy-wrong'), {}, options).then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: 'unauthorized',
      status: 401,
      providerCode: 'signature_invalid',
    });
    expect(inspect(error) + JSON.stringify(error)).not.toContain('not-it');
  });

  it('rejects a replayed nonce and a stale timestamp', async () => {
    const provider = oauth1('legacy');
    const send = async (authorization: string) => {
      const dispatcher = new Agent();
      try {
        const response = await request(peer.requestTokenUrl, {
          method: 'POST',
          headers: { authorization },
          dispatcher,
        });
        return { status: response.statusCode, body: await response.body.text() };
      } finally {
        await dispatcher.close();
      }
    };
    const header = signRequest(provider, {
      method: 'POST',
      url: peer.requestTokenUrl,
      oauthParams: { oauth_callback: 'oob' },
    });
    expect((await send(header)).status).toBe(200);
    expect(await send(header)).toEqual({ status: 401, body: 'oauth_problem=nonce_used' });

    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 3_600_000 });
    const stale = signRequest(provider, {
      method: 'POST',
      url: peer.requestTokenUrl,
      oauthParams: { oauth_callback: 'oob' },
    });
    vi.useRealTimers();
    expect(await send(stale)).toEqual({ status: 401, body: 'oauth_problem=timestamp_refused' });
  });
});

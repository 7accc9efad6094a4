import { inspect } from 'node:util';
import { createHttpAgent, createPkce } from '@tokenlane/oauth';
import {
  ProviderError,
  authorizationUrl,
  exchangeCode,
  loadProviders,
  refreshTokens,
  revokeTokens,
  type CallOptions,
  type OAuth2Provider,
  type ProviderRegistry,
  type TokenSet,
} from '@tokenlane/providers';
import { Secret } from '@tokenlane/vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ACCOUNT,
  completeInteraction,
  startOidcPeer,
  type OidcPeer,
} from '../peers/oidc-peer.js';

const redirectUri = 'https://tokenlane.test/oauth/callback';
// Characters that RFC 6749 §2.3.1 makes us form-urlencode inside the Basic header.
const basicSecret = 'basic secret:with/+&%=chars';
const postSecret = 'post-secret-2b9e';

let peer: OidcPeer;
let registry: ProviderRegistry;
const agent = createHttpAgent();
const options: CallOptions = { dispatcher: agent, retry: { minTimeoutMs: 1, maxTimeoutMs: 5 } };

function oauth2(id: string): OAuth2Provider {
  const provider = registry.require(id);
  if (provider.kind !== 'oauth2') throw new Error(id);
  return provider;
}

/** Links a user end to end: authorization URL with PKCE → consent at the peer → code exchange. */
async function link(provider: OAuth2Provider): Promise<TokenSet> {
  const pkce = createPkce();
  const state = 'state-' + Math.random().toString(36).slice(2);
  const back = await completeInteraction(
    authorizationUrl(provider, { state, codeChallenge: pkce.challenge }),
  );
  expect(back.origin + back.pathname).toBe(redirectUri);
  expect(back.searchParams.get('state')).toBe(state);
  const code = new Secret(back.searchParams.get('code') ?? '');
  return exchangeCode(provider, { code, codeVerifier: pkce.verifier }, options);
}

async function providerError(
  promise: Promise<unknown>,
  ...secrets: Secret[]
): Promise<ProviderError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  for (const secret of secrets) {
    for (const text of [(error as Error).message, JSON.stringify(error), inspect(error)]) {
      expect(text).not.toContain(secret.reveal());
    }
  }
  return error as ProviderError;
}

beforeAll(async () => {
  peer = await startOidcPeer({
    accessTokenTtl: 600,
    refreshTokenRotation: true,
    clients: [
      {
        clientId: 'basic-client',
        clientSecret: basicSecret,
        redirectUris: [redirectUri],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
      {
        clientId: 'post-client',
        clientSecret: postSecret,
        redirectUris: [redirectUri],
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    ],
  });
  const peerEndpoints = {
    kind: 'oauth2',
    authorizationUrl: peer.authorizationUrl,
    tokenUrl: peer.tokenUrl,
    revocationUrl: peer.revocationUrl,
    scopes: ['openid', 'offline_access'],
    authorizationParams: { prompt: 'consent' },
    pkce: true,
  };
  // Custom providers declared the way an operator would, in the providers file.
  registry = loadProviders({
    publicUrl: 'https://tokenlane.test',
    file: {
      'peer-basic': {
        ...peerEndpoints,
        clientId: 'basic-client',
        clientSecret: basicSecret,
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
      'peer-post': {
        ...peerEndpoints,
        clientId: 'post-client',
        clientSecret: postSecret,
        tokenEndpointAuthMethod: 'client_secret_post',
      },
      // A built-in pointed at the peer: endpoints overridden, its quirks (access_type=offline,
      // prompt=consent, client_secret_post, id_token sub) kept.
      'google-health': {
        authorizationUrl: peer.authorizationUrl,
        tokenUrl: peer.tokenUrl,
        revocationUrl: peer.revocationUrl,
        scopes: ['openid', 'offline_access'],
        clientId: 'post-client',
        clientSecret: postSecret,
      },
    },
  });
});

afterAll(async () => {
  await agent.close();
  await peer.close();
});

describe('OAuth 2.0 against oidc-provider', () => {
  it('links with code + PKCE and client_secret_basic; sub of the id_token is the user', async () => {
    const before = Date.now();
    const tokens = await link(oauth2('peer-basic'));
    expect(tokens.providerUserId).toBe(TEST_ACCOUNT);
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.refreshToken).toBeInstanceOf(Secret);
    expect(tokens.scopes).toEqual(expect.arrayContaining(['openid', 'offline_access']));
    expect(tokens.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 600_000 - 1_000);
    expect(JSON.stringify(tokens)).not.toContain(tokens.accessToken.reveal());
  });

  it('links with client_secret_post', async () => {
    const tokens = await link(oauth2('peer-post'));
    expect(tokens.providerUserId).toBe(TEST_ACCOUNT);
  });

  it('links a built-in whose endpoints point at the peer', async () => {
    const google = oauth2('google-health');
    expect(new URL(authorizationUrl(google, { state: 's' })).searchParams.get('access_type')).toBe(
      'offline',
    );
    const tokens = await link(google);
    // Google Health's user is its healthUserId from the identity look-up after the exchange
    // (test/links/google-health-identity.test.ts), never the id_token's `sub`: the token
    // answer alone names nobody.
    expect(tokens.providerUserId).toBeUndefined();
    const refreshed = await refreshTokens(google, { refreshToken: tokens.refreshToken! }, options);
    expect(refreshed.refreshToken!.equals(tokens.refreshToken!)).toBe(false);
  });

  it('refuses a code with the wrong PKCE verifier → invalid_grant', async () => {
    const provider = oauth2('peer-basic');
    const pkce = createPkce();
    const back = await completeInteraction(
      authorizationUrl(provider, { state: 'pkce-state', codeChallenge: pkce.challenge }),
    );
    const code = new Secret(back.searchParams.get('code') ?? '');
    const wrong = createPkce().verifier;
    const error = await providerError(
      exchangeCode(provider, { code, codeVerifier: wrong }, options),
      code,
      wrong,
    );
    expect(error).toMatchObject({ code: 'invalid_grant', retryable: false, status: 400 });
  });

  it('refreshes with rotation; the old refresh token is then refused (invalid_grant)', async () => {
    const provider = oauth2('peer-post');
    const linked = await link(provider);
    const old = linked.refreshToken!;
    const refreshed = await refreshTokens(provider, { refreshToken: old }, options);
    expect(refreshed.refreshToken).toBeDefined();
    expect(refreshed.refreshToken!.equals(old)).toBe(false);
    expect(refreshed.accessToken.equals(linked.accessToken)).toBe(false);
    expect(refreshed.providerUserId).toBe(TEST_ACCOUNT);
    const error = await providerError(refreshTokens(provider, { refreshToken: old }, options), old);
    expect(error).toMatchObject({ code: 'invalid_grant', retryable: false });
  });

  it('revokes (RFC 7009), after which refresh is invalid_grant', async () => {
    const provider = oauth2('peer-basic');
    const linked = await link(provider);
    const result = await revokeTokens(
      provider,
      { accessToken: linked.accessToken, refreshToken: linked.refreshToken! },
      options,
    );
    expect(result).toEqual({ confirmed: true });
    const error = await providerError(
      refreshTokens(provider, { refreshToken: linked.refreshToken! }, options),
      linked.refreshToken!,
    );
    expect(error.code).toBe('invalid_grant');
  });

  it('a wrong client secret → invalid_client', async () => {
    const wrong = loadProviders({
      publicUrl: 'https://tokenlane.test',
      file: {
        'peer-basic': {
          kind: 'oauth2',
          authorizationUrl: peer.authorizationUrl,
          tokenUrl: peer.tokenUrl,
          clientId: 'basic-client',
          clientSecret: 'not-the-secret',
        },
      },
    }).require('peer-basic') as OAuth2Provider;
    const refreshToken = new Secret('whatever');
    const error = await providerError(
      refreshTokens(wrong, { refreshToken }, options),
      wrong.clientSecret,
    );
    expect(error.code).toBe('invalid_client');
  });
});

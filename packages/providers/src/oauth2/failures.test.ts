import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  ProviderError,
  createHttpAgent,
  getHttpDispatcher,
  setHttpDispatcher,
} from '@tokenlane/oauth';
import { Secret } from '@tokenlane/vault';
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeCode, refreshTokens, revokeTokens } from '../protocol.js';
import { loadProviders } from '../registry/load.js';
import { SECRETS, containsSecret, mockHttpPerTest, oauth2Of } from '../test-support/mock-http.js';

const refreshToken = new Secret(SECRETS.refreshToken);
const code = new Secret(SECRETS.code);
const providerAt = (origin: string) =>
  oauth2Of(
    loadProviders({
      publicUrl: 'https://tokenlane.test',
      file: {
        acme: {
          kind: 'oauth2',
          authorizationUrl: `${origin}/authorize`,
          tokenUrl: `${origin}/token`,
          revocationUrl: `${origin}/revoke`,
          clientId: 'client-id',
          clientSecret: SECRETS.clientSecret,
        },
      },
    }),
    'acme',
  );
const acme = providerAt('https://idp.example');

const http = mockHttpPerTest();
const token = () =>
  http.agent.get('https://idp.example').intercept({ path: '/token', method: 'POST' });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  for (const text of [
    (error as Error).message,
    JSON.stringify(error),
    inspect(error, { showHidden: true }),
  ]) {
    expect(containsSecret(text)).toBe(false);
  }
  return error as ProviderError;
}

describe('answers that fail', () => {
  it('429 with Retry-After beyond the cap → rate_limited with retryAfterMs, not retried', async () => {
    token().reply(429, { error: 'slow_down' }, { headers: { 'retry-after': '120' } });
    const error = await failure(refreshTokens(acme, { refreshToken }, http.options));
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 120_000,
      status: 429,
    });
  });

  it('reads Retry-After as an HTTP date too', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    token().reply(503, 'busy', { headers: { 'retry-after': at } });
    const error = await failure(refreshTokens(acme, { refreshToken }, http.options));
    expect(error.code).toBe('provider_unavailable');
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
  });

  it('a revocation waits out a short Retry-After and tries again', async () => {
    http.agent
      .get('https://idp.example')
      .intercept({ path: '/revoke', method: 'POST' })
      .reply(429, '', { headers: { 'retry-after': '0' } });
    http.agent
      .get('https://idp.example')
      .intercept({ path: '/revoke', method: 'POST' })
      .reply(200, '');
    const result = await revokeTokens(acme, { refreshToken }, http.options);
    expect(result.confirmed).toBe(true);
  });

  it('a refresh answered 429 or 503 is not re-sent in the call: the lifecycle backs off', async () => {
    token().reply(429, '', { headers: { 'retry-after': '0' } });
    expect(await failure(refreshTokens(acme, { refreshToken }, http.options))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
    });
    token().reply(503, 'unavailable');
    const error = await failure(refreshTokens(acme, { refreshToken }, http.options));
    expect(error).toMatchObject({ code: 'provider_unavailable', retryable: true, status: 503 });
  });

  it('410 Gone is provider_retired, whatever the body says', async () => {
    token().reply(410, { error: 'invalid_request' });
    const error = await failure(refreshTokens(acme, { refreshToken }, http.options));
    expect(error).toMatchObject({ code: 'provider_retired', retryable: false, status: 410 });
  });

  it('an authorization code exchange that got a 5xx is not sent again', async () => {
    token().reply(500, { error: 'server_error' });
    const error = await failure(exchangeCode(acme, { code }, http.options));
    expect(error).toMatchObject({ code: 'provider_unavailable', status: 500 });
  });

  it('RFC 6749 errors keep no description, so echoed codes never surface', async () => {
    token().reply(400, {
      error: 'invalid_grant',
      error_description: `code ${SECRETS.code} expired`,
    });
    const error = await failure(exchangeCode(acme, { code }, http.options));
    expect(error).toMatchObject({
      code: 'invalid_grant',
      retryable: false,
      providerCode: 'invalid_grant',
    });
  });

  it('a 200 that is not a token answer → invalid_response', async () => {
    token().reply(200, `<html>${SECRETS.accessToken}</html>`, {
      headers: { 'content-type': 'text/html' },
    });
    const error = await failure(refreshTokens(acme, { refreshToken }, http.options));
    expect(error.code).toBe('invalid_response');
  });

  it('an id_token for another client → invalid_response', async () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', aud: 'someone-else' })).toString(
      'base64url',
    );
    token().reply(200, { access_token: SECRETS.accessToken, id_token: `e30.${payload}.sig` });
    const error = await failure(exchangeCode(acme, { code }, http.options));
    expect(error.code).toBe('invalid_response');
  });

  it('uses the shared dispatcher when the call passes none', async () => {
    const previous = getHttpDispatcher();
    setHttpDispatcher(http.agent);
    try {
      token().reply(200, { access_token: SECRETS.accessToken });
      const tokens = await refreshTokens(acme, { refreshToken }, { retry: false });
      expect(tokens.expiresAt).toBeUndefined();
      expect(tokens.refreshToken).toBe(refreshToken);
    } finally {
      setHttpDispatcher(previous);
    }
  });
});

describe('transport failures (real sockets)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  async function listen(handler: Parameters<typeof createServer>[1]) {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }
  const fast = { retry: { minTimeoutMs: 1, maxTimeoutMs: 5 } } as const;

  it('connection refused → network (retried: nothing was sent), even for a code', async () => {
    const { server, origin } = await listen(() => undefined);
    server.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const agent = createHttpAgent();
    try {
      const error = await failure(
        exchangeCode(providerAt(origin), { code }, { ...fast, dispatcher: agent }),
      );
      expect(error).toMatchObject({ code: 'network', retryable: true });
      expect(error.message).toContain('ECONNREFUSED');
    } finally {
      await agent.close();
    }
  });

  it('no answer in time → timeout; a refresh is not re-sent, a revocation is', async () => {
    let hits = 0;
    const { origin } = await listen(() => {
      hits += 1; // never answers
    });
    const agent = createHttpAgent({ headersTimeoutMs: 100 });
    try {
      const provider = providerAt(origin);
      const error = await failure(
        refreshTokens(provider, { refreshToken }, { ...fast, dispatcher: agent }),
      );
      expect(error).toMatchObject({ code: 'timeout', retryable: true });
      expect(hits).toBe(1);
      const once = { retry: { ...fast.retry, retries: 1 }, dispatcher: agent };
      await failure(revokeTokens(provider, { refreshToken }, once));
      expect(hits).toBe(3);
    } finally {
      await agent.destroy();
    }
  });
});

import { signEventPayload, signStandardWebhook } from '@tokenlane/vault';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenlaneApiError, TokenlaneClient, isOAuth1Token, verifyWebhook } from './index.js';

const ORIGIN = 'https://tokenlane.test';
const API_KEY = 'client-test-key-0123456789';

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

const connection = {
  id: '0b6f6c8e-55b4-4d3e-9d39-3f4d1c2b7a10',
  userId: 'u1',
  provider: 'fitbit',
  providerUserId: 'p1',
  status: 'active',
  scopes: ['activity'],
  expiresAt: null,
  refreshDueAt: null,
  lastRefreshedAt: null,
  lastErrorCode: null,
  refreshAttempts: 0,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  revokedAt: null,
};

describe('TokenlaneClient', () => {
  let agent: MockAgent;
  let client: TokenlaneClient;
  let seen: Seen[];

  /** Answers the next request matching method and path with `status`/`data`, recording it. */
  function answer(
    method: string,
    path: string,
    status: number,
    data?: object | string,
    headers: Record<string, string> = {},
  ): void {
    agent
      .get(ORIGIN)
      .intercept({ method, path })
      .reply((options) => {
        const text = typeof options.body === 'string' ? options.body : undefined;
        seen.push({
          method: options.method,
          path: options.path,
          headers: { ...(options.headers as Record<string, string>) },
          body: text === undefined ? undefined : (JSON.parse(text) as unknown),
        });
        return {
          statusCode: status,
          data: data === undefined ? '' : typeof data === 'string' ? data : JSON.stringify(data),
          responseOptions: { headers: { 'content-type': 'application/json', ...headers } },
        };
      });
  }

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    client = new TokenlaneClient({ baseUrl: `${ORIGIN}/`, apiKey: API_KEY, dispatcher: agent });
    seen = [];
  });
  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it('creates a link with the API key and a JSON body', async () => {
    const link = {
      linkId: 'l1',
      linkWebUrl: 'https://idp/auth',
      method: 'redirect',
      expiresAt: '2030-01-01T00:15:00.000Z',
    };
    answer('POST', '/v1/links', 201, link);
    const input = { userId: 'u1', provider: 'fitbit', returnUrl: 'https://app/back' };
    expect(await client.createLink(input)).toEqual(link);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/links', body: input });
    expect(seen[0]?.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it('starts, reads, lists and cancels a migration', async () => {
    const migration = {
      id: 'd6a7c1e4-1f2b-4c3d-8e9f-0a1b2c3d4e5f',
      from: 'garmin',
      to: 'garmin-oauth2',
      mode: 'token_exchange',
      status: 'running',
      dryRun: true,
      counts: {
        total: 2,
        pending: 2,
        migrated: 0,
        awaitingConsent: 0,
        reauthRequired: 0,
        failed: 0,
        skipped: 0,
      },
      createdAt: '2030-01-01T00:00:00.000Z',
      finishedAt: null,
    };
    answer('POST', '/v1/migrations', 202, migration);
    expect(
      await client.startMigration({ from: 'garmin', to: 'garmin-oauth2', dryRun: true }),
    ).toEqual(migration);
    expect(seen[0]?.body).toEqual({ from: 'garmin', to: 'garmin-oauth2', dryRun: true });
    answer('GET', `/v1/migrations/${migration.id}`, 200, migration);
    expect((await client.getMigration(migration.id)).counts.total).toBe(2);
    answer('GET', '/v1/migrations', 200, { data: [migration] });
    expect(await client.listMigrations()).toHaveLength(1);
    answer('POST', `/v1/migrations/${migration.id}/cancel`, 409, {
      error: { code: 'conflict', message: 'migration is already completed' },
    });
    await expect(client.cancelMigration(migration.id)).rejects.toMatchObject({
      code: 'conflict',
      status: 409,
    });
  });

  it('completes a PIN link, encoding the link id', async () => {
    answer('POST', '/v1/links/a%2Fb/pin', 200, { connectionId: connection.id, status: 'active' });
    expect(await client.completePin('a/b', '1234')).toEqual({
      connectionId: connection.id,
      status: 'active',
    });
    expect(seen[0]?.body).toEqual({ pin: '1234' });
  });

  it('gets a connection and lists with filters', async () => {
    answer('GET', `/v1/connections/${connection.id}`, 200, connection);
    expect(await client.getConnection(connection.id)).toEqual(connection);
    answer('GET', '/v1/connections?userId=u+1&status=active&limit=10', 200, {
      data: [connection],
      nextCursor: null,
    });
    const page = await client.listConnections({ userId: 'u 1', status: 'active', limit: 10 });
    expect(page.data).toHaveLength(1);
    expect(seen.map((s) => s.method)).toEqual(['GET', 'GET']);
    expect(seen[1]?.body).toBeUndefined();
    expect(seen[1]?.headers['content-type']).toBeUndefined();
  });

  it('iterates over every page', async () => {
    const second = { ...connection, id: 'c2' };
    const third = { ...connection, id: 'c3' };
    answer('GET', '/v1/connections?provider=fitbit&limit=2', 200, {
      data: [connection, second],
      nextCursor: 'c2',
    });
    answer('GET', '/v1/connections?provider=fitbit&limit=2&after=c2', 200, {
      data: [third],
      nextCursor: null,
    });
    const ids: string[] = [];
    for await (const c of client.iterateConnections({ provider: 'fitbit', limit: 2 })) {
      ids.push(c.id);
    }
    expect(ids).toEqual([connection.id, 'c2', 'c3']);
  });

  it('gets a token with minValidity, for OAuth 2.0 and OAuth 1.0a', async () => {
    answer('GET', '/v1/connections/c1/token?minValidity=120', 200, {
      accessToken: 'at',
      tokenType: 'Bearer',
      expiresAt: null,
    });
    const oauth2 = await client.getToken('c1', { minValidity: 120 });
    expect(isOAuth1Token(oauth2)).toBe(false);
    answer('GET', '/v1/connections/c2/token', 200, { token: 't', tokenSecret: 's' });
    const oauth1 = await client.getToken('c2');
    expect(isOAuth1Token(oauth1) && oauth1.tokenSecret).toBe('s');
  });

  it('sends refresh and delete without a body, unauthorized with the refused token', async () => {
    answer('POST', '/v1/connections/c1/refresh', 202, { status: 'queued' });
    answer('POST', '/v1/connections/c1/unauthorized', 202);
    answer('DELETE', '/v1/connections/c1', 202);
    await client.refresh('c1');
    await client.reportUnauthorized('c1', 'refused-token');
    await client.deleteConnection('c1');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /v1/connections/c1/refresh',
      'POST /v1/connections/c1/unauthorized',
      'DELETE /v1/connections/c1',
    ]);
    expect(seen.map((s) => s.body)).toEqual([
      undefined,
      { accessToken: 'refused-token' },
      undefined,
    ]);
  });

  it('asks for a re-link with its provider and returnUrl', async () => {
    const link = {
      linkId: 'l1',
      linkWebUrl: 'https://t/connect/x',
      method: 'redirect',
      expiresAt: 'e',
    };
    answer('POST', '/v1/connections/c1/relink', 201, link);
    expect(await client.relink('c1', { returnUrl: 'https://app/back' })).toEqual(link);
    expect(seen.at(-1)?.body).toEqual({ returnUrl: 'https://app/back' });
  });

  it('lists and iterates events from a cursor', async () => {
    const event = { id: 'e1', cursor: '7', type: 'connection.created', data: {} };
    answer('GET', '/v1/events?after=5&limit=1', 200, { data: [event], nextCursor: '7' });
    answer('GET', '/v1/events?after=7&limit=1', 200, { data: [], nextCursor: null });
    const events = [];
    for await (const e of client.iterateEvents({ after: '5', limit: 1 })) events.push(e);
    expect(events).toEqual([event]);
  });

  it('parses error bodies into TokenlaneApiError', async () => {
    answer(
      'GET',
      '/v1/connections/c1/token',
      409,
      {
        error: {
          code: 'reauth_required',
          message: 'The user must re-link',
          linkWebUrl: 'https://l',
        },
      },
      { 'x-request-id': 'r-1' },
    );
    const error = await client.getToken('c1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenlaneApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'reauth_required',
      message: 'The user must re-link',
      details: { linkWebUrl: 'https://l' },
      requestId: 'r-1',
    });
  });

  it('keeps status and Retry-After for errors without our body', async () => {
    answer('GET', '/v1/providers', 503, '<html>bad gateway</html>', { 'retry-after': '3' });
    await expect(client.listProviders()).rejects.toMatchObject({
      status: 503,
      code: 'http_503',
      retryAfter: 3,
    });
    answer('GET', '/v1/connections/x', 401, {
      error: { code: 'unauthorized', message: 'Invalid API key' },
    });
    await expect(client.getConnection('x')).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
  });

  it('refuses a 2xx body that is not JSON', async () => {
    answer('GET', '/v1/providers', 200, 'not json');
    await expect(client.listProviders()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('never shows the API key', () => {
    expect(JSON.stringify(client)).not.toContain(API_KEY);
    expect(Object.values(client)).not.toContain(API_KEY);
  });
});

describe('verifyWebhook', () => {
  it('accepts a fresh signature and rejects a wrong or missing one', () => {
    const body = '{"id":"e1"}';
    const now = Math.floor(Date.now() / 1000);
    const header = signEventPayload('whsec', body, now);
    expect(verifyWebhook(body, header, 'whsec')).toBe(true);
    expect(verifyWebhook(`${body} `, header, 'whsec')).toBe(false);
    expect(verifyWebhook(body, header, 'other')).toBe(false);
    expect(verifyWebhook(body, undefined, 'whsec')).toBe(false);
    const old = signEventPayload('whsec', body, now - 3600);
    expect(verifyWebhook(body, old, 'whsec')).toBe(false);
  });

  it('checks the Standard Webhooks headers when given the request headers', () => {
    const body = '{"id":"e2"}';
    const now = Math.floor(Date.now() / 1000);
    for (const secret of [
      `whsec_${Buffer.from('k'.repeat(24)).toString('base64')}`,
      'plain-secret',
    ]) {
      const headers = signStandardWebhook(secret, 'e2', now, body);
      expect(verifyWebhook(body, { ...headers }, secret)).toBe(true);
      const upper = {
        'Webhook-Id': 'e2',
        'Webhook-Timestamp': headers['webhook-timestamp'],
        'Webhook-Signature': [headers['webhook-signature']],
      };
      expect(verifyWebhook(body, upper, secret)).toBe(true);
      expect(verifyWebhook(`${body} `, { ...headers }, secret)).toBe(false);
      expect(verifyWebhook(body, { ...headers }, 'another-secret')).toBe(false);
      const stale = signStandardWebhook(secret, 'e2', now - 3600, body);
      expect(verifyWebhook(body, { ...stale }, secret)).toBe(false);
    }
    // Without the Standard Webhooks headers, Tokenlane-Signature is checked instead.
    const legacy = { 'tokenlane-signature': signEventPayload('plain', body, now) };
    expect(verifyWebhook(body, legacy, 'plain')).toBe(true);
    expect(verifyWebhook(body, {}, 'plain')).toBe(false);
  });
});

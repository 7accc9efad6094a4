import { signEventPayload, signStandardWebhook } from '@tokenlane/vault';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenlaneApiError, TokenlaneClient, verifyWebhook } from './index.js';

const ORIGIN = 'https://tokenlane.test';
const CONNECTION_ID = '0b6f6c8e-55b4-4d3e-9d39-3f4d1c2b7a10';
const API_KEY = 'client-test-key-0123456789';

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

// Each method is tested against the real server (test/sdk/client-against-server.test.ts);
// these cover what a real tokenlane does not answer: other servers' bodies, the network.
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

  it('completes a PIN link, encoding the link id', async () => {
    answer('POST', '/v1/links/a%2Fb/pin', 200, { connectionId: CONNECTION_ID, status: 'active' });
    expect(await client.completePin('a/b', '1234')).toEqual({
      connectionId: CONNECTION_ID,
      status: 'active',
    });
    expect(seen[0]?.body).toEqual({ pin: '1234' });
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

  it('rejects with the network error when the connection fails', async () => {
    agent
      .get(ORIGIN)
      .intercept({ method: 'GET', path: '/v1/providers' })
      .replyWithError(new Error('socket hang up'));
    await expect(client.listProviders()).rejects.toThrow('socket hang up');
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

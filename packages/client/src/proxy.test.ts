import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenlaneClient } from './index.js';

const ORIGIN = 'https://tokenlane.test';
const API_KEY = 'client-proxy-key-0123456789';

describe('client.proxy(id)', () => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const client = new TokenlaneClient({ baseUrl: ORIGIN, apiKey: API_KEY, dispatcher: agent });

  afterEach(() => {
    agent.assertNoPendingInterceptors();
  });

  it('sends GET under the connection with query, controls and the key; returns the Response', async () => {
    let headers: Record<string, string> = {};
    agent
      .get(ORIGIN)
      .intercept({ method: 'GET', path: '/v1/connections/c-1/proxy/v2/sleep?start=2026-12-01&n=3' })
      .reply((options) => {
        headers = { ...(options.headers as Record<string, string>) };
        return {
          statusCode: 404,
          data: '{"detail":"no such day"}',
          responseOptions: {
            headers: {
              'content-type': 'application/json',
              'tokenlane-connection-status': 'active',
            },
          },
        };
      });
    const response = await client.proxy('c-1').get('/v2/sleep', {
      query: { start: '2026-12-01', n: 3, skipped: undefined },
      headers: { accept: 'application/json' },
      minValiditySeconds: 60,
      timeoutMs: 5000,
    });
    // A provider's 404 is its answer, not an error.
    expect(response.status).toBe(404);
    expect(response.headers.get('tokenlane-connection-status')).toBe('active');
    expect(await response.json()).toEqual({ detail: 'no such day' });
    expect(headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(headers['tokenlane-min-validity']).toBe('60');
    expect(headers['tokenlane-timeout']).toBe('5000');
    expect(headers.accept).toBe('application/json');
  });

  it('posts a body and never follows a redirect', async () => {
    let body = '';
    agent
      .get(ORIGIN)
      .intercept({ method: 'POST', path: '/v1/connections/c-1/proxy/items' })
      .reply((options) => {
        body = typeof options.body === 'string' ? options.body : '';
        return {
          statusCode: 302,
          data: '',
          responseOptions: { headers: { location: 'https://elsewhere.example/' } },
        };
      });
    const response = await client.proxy('c-1').post('items', {
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://elsewhere.example/');
    expect(body).toBe('{"a":1}');
  });
});

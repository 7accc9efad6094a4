import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AUTH,
  expectErrorBody,
  openTestApp,
  TEST_API_KEY,
  type TestApp,
} from './test-support/runtime.js';

/** A throwaway POST route, so body parsing and validation can be tested on their own. */
function addEchoRoute(app: FastifyInstance): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .post(
      '/v1/test-echo',
      { schema: { body: z.object({ name: z.string().min(1), count: z.number().int() }) } },
      async (request) => request.body,
    );
}

const expectError = expectErrorBody;

describe('ingress app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp('ingress_app', { configure: addEchoRoute });
  });
  afterAll(async () => {
    await t.dispose();
  });

  describe('API key', () => {
    it('refuses /v1/* without a key, with WWW-Authenticate', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/v1/connections' });
      expectError(response, 401, 'unauthorized');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('refuses a wrong key, another scheme, and a prefix of the right key', async () => {
      for (const authorization of [
        'Bearer test-key-0123456789abcdeX',
        `Basic ${TEST_API_KEY}`,
        `Bearer ${TEST_API_KEY.slice(0, -1)}`,
        'Bearer',
      ]) {
        const response = await t.app.inject({
          method: 'GET',
          url: '/v1/providers',
          headers: { authorization },
        });
        expectError(response, 401, 'unauthorized');
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });

    it('accepts the right key (scheme case-insensitive)', async () => {
      for (const authorization of [AUTH.authorization, `bearer ${TEST_API_KEY}`]) {
        const response = await t.app.inject({
          method: 'GET',
          url: '/v1/providers',
          headers: { authorization },
        });
        expect(response.statusCode).toBe(200);
      }
    });

    it('checks the key before reading the body and before 404', async () => {
      expectError(await t.app.inject({ method: 'GET', url: '/v1/nope' }), 401, 'unauthorized');
      const big = await t.app.inject({
        method: 'POST',
        url: '/v1/test-echo',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'x'.repeat(100 * 1024) }),
      });
      expectError(big, 401, 'unauthorized');
    });

    it('leaves /healthz, /readyz and the docs open', async () => {
      for (const url of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
        expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(200);
      }
    });
  });

  describe('errors', () => {
    it('answers unknown routes with a JSON 404', async () => {
      expectError(await t.app.inject({ method: 'GET', url: '/nope' }), 404, 'not_found');
      expectError(
        await t.app.inject({ method: 'GET', url: '/v1/nope', headers: AUTH }),
        404,
        'not_found',
      );
      expectError(await t.app.inject({ method: 'DELETE', url: '/healthz' }), 404, 'not_found');
    });

    it('answers malformed JSON with 400 invalid_json, on any POST route', async () => {
      for (const url of ['/v1/test-echo', '/v1/links']) {
        for (const payload of ['{"name": "x",', '', '[1,']) {
          const response = await t.app.inject({
            method: 'POST',
            url,
            headers: { ...AUTH, 'content-type': 'application/json' },
            payload,
          });
          expectError(response, 400, 'invalid_json');
        }
      }
    });

    it('names the failing field without echoing its value', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/test-echo',
        headers: AUTH,
        payload: { name: 'secret-looking-value', count: 'secret-count-value' },
      });
      expectError(response, 400, 'invalid_request');
      const { message } = response.json<{ error: { message: string } }>().error;
      expect(message).toContain('body.count');
      expect(message).not.toContain('secret');
    });

    it('answers 413 for a 100 KiB body and 415 for a non-JSON one', async () => {
      const big = await t.app.inject({
        method: 'POST',
        url: '/v1/test-echo',
        headers: { ...AUTH, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'x'.repeat(100 * 1024), count: 1 }),
      });
      expectError(big, 413, 'payload_too_large');
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/v1/test-echo',
          headers: { ...AUTH, 'content-type': contentType },
          payload: 'name=x',
        });
        expectError(response, 415, 'unsupported_media_type');
      }
    });

    it('accepts a valid body', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/test-echo',
        headers: AUTH,
        payload: { name: 'x', count: 2 },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ name: 'x', count: 2 });
    });

    it('never answers 500 to odd requests', async () => {
      const urls = [
        '/v1/connections?limit=abc',
        '/v1/connections?limit=0',
        '/v1/connections?limit=1&limit=2',
        '/v1/connections?status=bogus',
        '/v1/connections?after=not-a-cursor',
        '/v1/connections?userId=',
        '/v1/connections/%E0%A4%A',
        `/v1/connections/${'a'.repeat(500)}`,
        '/v1/events?after=-1',
        '/v1/events?after=1e3',
        '/v1/events?limit=100000',
        '/%',
        '/v1/connections/..%2F..%2Fetc',
      ];
      for (const url of urls) {
        const response = await t.app.inject({ method: 'GET', url, headers: AUTH });
        expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, url).toBeLessThan(500);
        expect(response.json<{ error: { code: string } }>().error.code, url).toMatch(/^[a-z_]+$/);
      }
    });
  });

  describe('request ids and logs', () => {
    it('echoes a well-formed X-Request-Id and replaces a bad one', async () => {
      const kept = await t.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-request-id': 'req-123' },
      });
      expect(kept.headers['x-request-id']).toBe('req-123');
      const replaced = await t.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-request-id': 'bad id\nwith newline' },
      });
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('logs method, route and path, never the query string or headers', async () => {
      await t.app.inject({
        method: 'GET',
        url: '/v1/connections?userId=query-marker-123',
        headers: AUTH,
      });
      const requestLines = t.logs.filter((line) => line.includes('"req":'));
      expect(requestLines.length).toBeGreaterThan(0);
      const joined = t.logs.join('\n');
      expect(joined).toContain('"path":"/v1/connections"');
      expect(joined).toContain('"route":"/v1/connections"');
      expect(joined).not.toContain('query-marker-123');
      expect(joined).not.toContain(TEST_API_KEY);
      expect(joined).not.toContain('"headers"');
    });
  });

  describe('OpenAPI', () => {
    it('serves an OpenAPI 3 document with the routes and bearer auth', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
      expect(response.statusCode).toBe(200);
      const document = response.json<{
        openapi: string;
        paths: Record<string, Record<string, { security?: unknown }>>;
        components: { securitySchemes: Record<string, { scheme: string }> };
      }>();
      expect(document.openapi).toMatch(/^3\./);
      for (const path of [
        '/healthz',
        '/readyz',
        '/v1/connections',
        '/v1/connections/{id}',
        '/v1/events',
        '/v1/providers',
      ]) {
        expect(document.paths, path).toHaveProperty([path]);
      }
      expect(document.paths['/v1/connections']?.get?.security).toEqual([{ apiKey: [] }]);
      // Public routes say they take no key, rather than leaving it unstated.
      expect(document.paths['/healthz']?.get?.security).toEqual([]);
      expect(document.components.securitySchemes.apiKey?.scheme).toBe('bearer');
      expect(document.paths).not.toHaveProperty(['/openapi.json']);
    });

    it('serves the interactive reference at /docs from its own assets', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/docs' });
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('swagger-ui');
      expect(response.body).not.toMatch(/src="https?:/);
      const spec = await t.app.inject({ method: 'GET', url: '/docs/json' });
      expect(spec.json()).toMatchObject({ paths: { '/v1/connections/{id}': {} } });
    });
  });
});

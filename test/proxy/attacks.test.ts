import type { ConnectionId } from '@tokenlane/core';
import { openTokens } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROXY_KEY, rawRequest, startProxyStack, type ProxyStack } from './support.js';

let ps: ProxyStack;
let id: ConnectionId;

beforeAll(async () => {
  ps = await startProxyStack({ clientId: 'proxy-attacks' });
  id = await ps.oidc.link('attacks');
}, 90_000);

afterAll(async () => {
  await ps.close();
});

beforeEach(() => {
  ps.api.clear();
});

const ATTACKS = [
  '..',
  '../admin',
  'echo/../../admin',
  'echo/%2e%2e/%2e%2e/admin',
  'echo/%2E%2E/%2E%2E/admin',
  'echo/.%2e/.%2e/admin',
  'echo/%2e./admin',
  'echo/%252e%252e/%252e%252e/admin',
  'echo/%c0%ae%c0%ae/admin',
  'echo/%e0%80%ae%e0%80%ae/admin',
  'echo%2f..%2f..%2fadmin',
  'echo%2F..%2Fadmin',
  'echo%252f..%252fadmin',
  'echo%5c..%5cadmin',
  'echo\\..\\admin',
  '/127.0.0.1:9/steal',
  '//127.0.0.1:9/steal',
  'echo//x',
  'http://127.0.0.1:9/steal',
  'http:%2f%2f127.0.0.1:9%2fsteal',
  'https:',
  'echo%0d%0aX-Injected:%20yes',
  'echo%00',
  'echo%7f',
  'echo%0a',
];

describe('the proxy never leaves the provider API', () => {
  it.each(ATTACKS)('refuses %j with 400 invalid_request and sends nothing', async (attack) => {
    const answer = await rawRequest(
      ps.oidc.stack.port,
      'GET',
      `/v1/connections/${id}/proxy/${attack}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('"invalid_request"');
    // Refused before anything else, and the caller still learns the connection's state.
    if (answer.text.includes('refused (')) {
      expect(answer.text.toLowerCase()).toContain('tokenlane-connection-status: active');
    }
    expect(ps.api.requests()).toEqual([]);
  });

  it('refuses raw control characters in the request line before anything is sent', async () => {
    const answer = await rawRequest(
      ps.oidc.stack.port,
      'GET',
      `/v1/connections/${id}/proxy/echo\u0001x`,
    );
    expect(answer.status).toBe(400);
    expect(ps.api.requests()).toEqual([]);
  });

  it('refuses a Tokenlane-Base-Url that is not one of the provider’s', async () => {
    const answer = await ps.oidc.stack.api('GET', `/v1/connections/${id}/proxy/echo`, undefined, {
      authorization: `Bearer ${PROXY_KEY}`,
      'tokenlane-base-url': 'http://127.0.0.1:9/api',
    });
    expect(answer.status).toBe(400);
    expect(ps.api.requests()).toEqual([]);
  });

  it('a provider without apiBaseUrl is 422 proxy_not_configured', async () => {
    const bare = await ps.oidc.link('bare-user', 'bare');
    const answer = await ps.oidc.stack.api('GET', `/v1/connections/${bare}/proxy/echo`, undefined, {
      authorization: `Bearer ${PROXY_KEY}`,
    });
    expect(answer.status).toBe(422);
    expect((answer.body as { error: { code: string } }).error.code).toBe('proxy_not_configured');
    expect(answer.headers.get('tokenlane-connection-status')).toBe('active');
    expect(ps.api.requests()).toEqual([]);
  });

  it('a proxy-only key cannot read a token', async () => {
    const answer = await ps.oidc.stack.api('GET', `/v1/connections/${id}/token`, undefined, {
      authorization: `Bearer ${PROXY_KEY}`,
    });
    expect(answer.status).toBe(403);
  });
});

describe('headers both ways', () => {
  it('forwards the caller’s own headers but never its credentials, cookies or forwarding', async () => {
    const answer = await ps.oidc.stack.api(
      'GET',
      `/v1/connections/${id}/proxy/echo/a?x=1&y=%20z`,
      undefined,
      {
        authorization: `Bearer ${PROXY_KEY}`,
        cookie: 'session=caller',
        'proxy-authorization': 'Basic eDp5',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'evil.example',
        forwarded: 'for=10.0.0.1',
        'tokenlane-min-validity': '5',
        'x-custom': 'kept',
        accept: 'application/json',
      },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('tokenlane-connection-status')).toBe('active');
    const [seen] = ps.api.requests();
    expect(seen?.url).toBe('/api/echo/a?x=1&y=%20z');
    expect(seen?.authorized).toBe(true);
    const names = Object.keys(seen?.headers ?? {});
    for (const blocked of [
      'cookie',
      'proxy-authorization',
      'x-forwarded-for',
      'x-forwarded-host',
      'forwarded',
      'tokenlane-min-validity',
    ]) {
      expect(names).not.toContain(blocked);
    }
    expect(seen?.headers['x-custom']).toBe('kept');
    expect(seen?.headers.authorization).toMatch(/^Bearer /);
    expect(seen?.headers.authorization).not.toContain(PROXY_KEY);
  });

  it('never returns set-cookie or hop-by-hop headers', async () => {
    const answer = await ps.oidc.stack.api('GET', `/v1/connections/${id}/proxy/cookie`, undefined, {
      authorization: `Bearer ${PROXY_KEY}`,
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('ok');
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(answer.headers.get('x-hop')).toBeNull();
    expect(answer.headers.get('x-kept')).toBe('yes');
  });

  it('passes a redirect back as it is, without following it', async () => {
    const answer = await ps.oidc.stack.api(
      'GET',
      `/v1/connections/${id}/proxy/redirect`,
      undefined,
      {
        authorization: `Bearer ${PROXY_KEY}`,
      },
    );
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('http://127.0.0.1:9/elsewhere');
    expect(ps.api.requests()).toHaveLength(1);
  });

  it('passes 429 with its Retry-After, and streams POST bodies', async () => {
    const limited = await ps.oidc.stack.api(
      'GET',
      `/v1/connections/${id}/proxy/status/429`,
      undefined,
      {
        authorization: `Bearer ${PROXY_KEY}`,
      },
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    // The provider's 429 holds its calls back until its Retry-After passes: nothing is sent.
    ps.api.clear();
    const held = await ps.oidc.stack.api('GET', `/v1/connections/${id}/proxy/echo`, undefined, {
      authorization: `Bearer ${PROXY_KEY}`,
    });
    expect(held.status).toBe(429);
    expect((held.body as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThanOrEqual(6);
    expect(ps.api.requests()).toEqual([]);
    await ps.oidc.stack.redis.del(
      ...(await ps.oidc.stack.redis.keys(`${ps.oidc.stack.prefix}:holdback:*`)),
    );
    const posted = await ps.oidc.stack.api(
      'POST',
      `/v1/connections/${id}/proxy/echo`,
      { hello: 'world' },
      {
        authorization: `Bearer ${PROXY_KEY}`,
      },
    );
    expect(posted.status).toBe(200);
    expect((posted.body as { body: string }).body).toBe('{"hello":"world"}');
    const head = await ps.oidc.stack.api('HEAD', `/v1/connections/${id}/proxy/echo`, undefined, {
      authorization: `Bearer ${PROXY_KEY}`,
    });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('answers 504 provider_timeout past Tokenlane-Timeout', async () => {
    const answer = await ps.oidc.stack.api(
      'GET',
      `/v1/connections/${id}/proxy/slow/2000`,
      undefined,
      {
        authorization: `Bearer ${PROXY_KEY}`,
        'tokenlane-timeout': '200',
      },
    );
    expect(answer.status).toBe(504);
    expect((answer.body as { error: { code: string } }).error.code).toBe('provider_timeout');
    const tooLong = await ps.oidc.stack.api('GET', `/v1/connections/${id}/proxy/echo`, undefined, {
      authorization: `Bearer ${PROXY_KEY}`,
      'tokenlane-timeout': '120001',
    });
    expect(tooLong.status).toBe(400);
  });

  it('counts every call by provider, status class and key, and logs one line without query values or tokens', async () => {
    await ps.oidc.stack.api(
      'GET',
      `/v1/connections/${id}/proxy/echo/log?secretish=v4lue`,
      undefined,
      {
        authorization: `Bearer ${PROXY_KEY}`,
      },
    );
    const ingress = ps.oidc.stack.services.find((service) => service.name === 'ingress')!;
    const metrics = await (await fetch(ingress.metricsUrl)).text();
    expect(metrics).toMatch(
      /tokenlane_proxy_requests_total\{provider="acme",status_class="2xx",key="backend"\} \d+/,
    );
    expect(metrics).toMatch(
      /tokenlane_proxy_requests_total\{provider="acme",status_class="error",key="backend"\} \d+/,
    );
    expect(metrics).toContain('tokenlane_proxy_duration_seconds_bucket');
    const lines = ps.oidc.stack.logs().filter((line) => line.includes('proxied call'));
    const line = lines.find((text) => text.includes('/echo/log'));
    expect(line).toContain('"path":"/echo/log?secretish="');
    expect(line).toContain('"key":"backend"');
    expect(line).not.toContain('v4lue');
    const token = openTokens(ps.oidc.stack.keyRing, await ps.oidc.row(id)).accessToken!.reveal();
    expect(ps.oidc.stack.logs().join('\n')).not.toContain(token);
  });
});

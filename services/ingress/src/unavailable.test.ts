import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTH, expectErrorBody, openTestApp, type TestApp } from './test-support/runtime.js';
import { startTcpProxy, type TcpProxy } from './test-support/tcp-proxy.js';

describe('when Postgres goes away', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  beforeAll(async () => {
    // The test Postgres the global setup started; the app reaches it only through the proxy.
    const target = new URL(process.env.TOKENLANE_TEST_DATABASE_URL ?? '');
    proxy = await startTcpProxy(target.hostname, Number(target.port));
    t = await openTestApp('ingress_outage', {
      databaseUrl: (url) => {
        const proxied = new URL(url);
        proxied.host = `127.0.0.1:${proxy.port}`;
        return proxied.toString();
      },
    });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('answers 503 service_unavailable, never 500', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/v1/connections', headers: AUTH });
    expect(before.statusCode).toBe(200);
    await proxy.cut();
    // Let the pool see its idle connection drop before the next query. A connection that
    // drops while checked out emits an 'error' nobody listens to (packages/db attaches no
    // per-client listener), which would be an uncaught exception, not a 503.
    await vi.waitFor(() => {
      expect(t.logs.join('')).toContain('idle database connection failed');
    });
    for (const url of ['/v1/connections', '/v1/events', `/v1/connections/${crypto.randomUUID()}`]) {
      const response = await t.app.inject({ method: 'GET', url, headers: AUTH });
      expectErrorBody(response, 503, 'service_unavailable');
      expect(response.headers['retry-after']).toBe('1');
    }
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ checks: { database: false } });
  });
});

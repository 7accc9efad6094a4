import type { ConnectionId } from '@tokenlane/core';
import { openTokens, PROXY_CACHE_MS } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROXY_KEY, startProxyStack, type ProxyStack } from './support.js';

// The ingress keeps a connection's decrypted access credential for at most PROXY_CACHE_MS
// (docs/proxy.md, "The credential cache"). Revocations and refreshes run in the worker, another
// process: these tests check the bound a replica that did not make the change is held to.

let ps: ProxyStack;

beforeAll(async () => {
  ps = await startProxyStack({ clientId: 'proxy-cache' });
}, 90_000);

afterAll(async () => {
  await ps.close();
});

beforeEach(() => {
  ps.api.clear();
});

const call = (id: ConnectionId) =>
  ps.oidc.stack.api('GET', `/v1/connections/${id}/proxy/echo/me`, undefined, {
    authorization: `Bearer ${PROXY_KEY}`,
  });

const accessToken = async (id: ConnectionId) =>
  openTokens(ps.oidc.stack.keyRing, await ps.oidc.row(id)).accessToken!.reveal();

const presented = () =>
  ps.api.requests().map((seen) => String(seen.headers.authorization).replace(/^Bearer /, ''));

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the credential cache', () => {
  it('never serves a connection revoked elsewhere past its bound', async () => {
    const id = await ps.oidc.link('cache-revoked');
    // Warm: the ingress now holds the credential.
    expect((await call(id)).status).toBe(200);
    expect((await call(id)).status).toBe(200);
    // Revoked by another replica, as Postgres sees it, while the provider still accepts the
    // token (its revocation endpoint not called yet): only the bound stops the old token here.
    await ps.oidc.stack.db.db
      .updateTable('connections')
      .set({
        status: 'revoked',
        access_token_enc: null,
        refresh_token_enc: null,
        refresh_due_at: null,
        revoked_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    const committed = Date.now();
    // Within the bound the old credential may still go out.
    while (Date.now() <= committed + PROXY_CACHE_MS) await call(id);
    ps.api.clear();
    // Past it, every call gets the token API's answer, and nothing is sent.
    const late: number[] = [];
    for (let i = 0; i < 5; i += 1) late.push((await call(id)).status);
    expect(late).toEqual(Array(5).fill(409));
    expect(ps.api.requests()).toEqual([]);
  });

  it('a connection revoked through the API: a token the provider refused is dropped, not retried', async () => {
    const id = await ps.oidc.link('cache-revoked-api');
    expect((await call(id)).status).toBe(200);
    const revoke = await ps.oidc.stack.api('DELETE', `/v1/connections/${id}`);
    expect(revoke.status).toBe(202);
    await until(async () => (await ps.oidc.row(id)).status === 'revoked');
    // The provider refuses the revoked token at once: a cached one meets a 401, is dropped and
    // not retried, whatever the bound.
    ps.api.clear();
    const first = await call(id);
    expect([401, 409]).toContain(first.status);
    expect(ps.api.requests().every((seen) => !seen.authorized)).toBe(true);
    expect((await call(id)).status).toBe(409);
  });

  it('a token refreshed after a 401 replaces the cached one at once', async () => {
    const id = await ps.oidc.link('cache-refreshed');
    expect((await call(id)).status).toBe(200);
    const old = await accessToken(id);
    ps.api.expire(old);
    ps.api.clear();
    // Refused with the cached token, refreshed once, sent again with the new one.
    expect((await call(id)).status).toBe(200);
    const renewed = await accessToken(id);
    expect(renewed).not.toBe(old);
    expect(presented()).toEqual([old, renewed]);
    ps.api.clear();
    // The next calls go out with the new token straight away: no 401 first.
    for (let i = 0; i < 3; i += 1) expect((await call(id)).status).toBe(200);
    expect(presented()).toEqual([renewed, renewed, renewed]);
  });

  it('a refresh made by the worker is used within the bound', async () => {
    const id = await ps.oidc.link('cache-worker-refresh');
    expect((await call(id)).status).toBe(200);
    const old = await accessToken(id);
    const before = (await ps.oidc.row(id)).tokenVersion;
    const refresh = await ps.oidc.stack.api('POST', `/v1/connections/${id}/refresh`);
    expect(refresh.status).toBeLessThan(300);
    await until(async () => (await ps.oidc.row(id)).tokenVersion > before);
    const renewed = await accessToken(id);
    expect(renewed).not.toBe(old);
    await new Promise((resolve) => setTimeout(resolve, PROXY_CACHE_MS + 50));
    ps.api.clear();
    expect((await call(id)).status).toBe(200);
    expect(presented()).toEqual([renewed]);
  });

  it('the cached credential never reaches a log line', async () => {
    const id = await ps.oidc.link('cache-logs');
    for (let i = 0; i < 5; i += 1) expect((await call(id)).status).toBe(200);
    const token = await accessToken(id);
    expect(
      ps.api.requests().every((seen) => seen.headers.authorization === `Bearer ${token}`),
    ).toBe(true);
    // The services log at debug level here: every line they wrote, none with the token.
    const logs = ps.oidc.stack.logs().join('\n');
    expect(logs).toContain('proxied call');
    expect(logs).not.toContain(token);
  });
});

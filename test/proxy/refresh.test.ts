import type { ConnectionId } from '@tokenlane/core';
import { openTokens } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROXY_KEY, refreshGrants, startProxyStack, type ProxyStack } from './support.js';

let ps: ProxyStack;

beforeAll(async () => {
  ps = await startProxyStack({ clientId: 'proxy-refresh' });
}, 90_000);

afterAll(async () => {
  await ps.close();
});

beforeEach(() => {
  ps.api.clear();
});

const call = (id: ConnectionId, path: string) =>
  ps.oidc.stack.api('GET', `/v1/connections/${id}/proxy/${path}`, undefined, {
    authorization: `Bearer ${PROXY_KEY}`,
  });

/** Out of the sweeper's way: only the proxy refreshes it now. */
async function holdSweeper(id: ConnectionId, expiresAt: Date): Promise<void> {
  await ps.oidc.stack.db.db
    .updateTable('connections')
    .set({ expires_at: expiresAt, refresh_due_at: new Date(Date.now() + 3_600_000) })
    .where('id', '=', id)
    .execute();
}

describe('fresh token first, and the 401 once', () => {
  it('100 concurrent calls on an expired token cost one refresh at the peer', async () => {
    const id = await ps.oidc.link('expired-in-db');
    await holdSweeper(id, new Date(Date.now() - 1000));
    const before = await ps.oidc.row(id);
    const grants = refreshGrants(ps.oidc);
    const answers = await Promise.all(Array.from({ length: 100 }, () => call(id, 'echo/me')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(200));
    expect(refreshGrants(ps.oidc) - grants).toBe(1);
    expect((await ps.oidc.row(id)).tokenVersion).toBe(before.tokenVersion + 1);
    // Every call reached the API once, each with the new token.
    expect(ps.api.requests()).toHaveLength(100);
    expect(ps.api.requests().every((seen) => seen.authorized)).toBe(true);
  });

  it('100 concurrent calls refused with 401 share one forced refresh and retry once', async () => {
    const id = await ps.oidc.link('expired-at-api');
    await holdSweeper(id, new Date(Date.now() + 3_600_000));
    const before = await ps.oidc.row(id);
    ps.api.expire(openTokens(ps.oidc.stack.keyRing, before).accessToken!.reveal());
    const grants = refreshGrants(ps.oidc);
    const answers = await Promise.all(Array.from({ length: 100 }, () => call(id, 'echo/me')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(200));
    expect(refreshGrants(ps.oidc) - grants).toBe(1);
    const after = await ps.oidc.row(id);
    expect(after.tokenVersion).toBe(before.tokenVersion + 1);
    expect(after.status).toBe('active');
    const seen = ps.api.requests();
    expect(seen.filter((request) => !request.authorized)).toHaveLength(100);
    expect(seen.filter((request) => request.authorized)).toHaveLength(100);
    expect(answers[0]?.headers.get('tokenlane-connection-status')).toBe('active');
  });

  it('a retry refused too moves the connection to reauth_required; the caller gets the 401', async () => {
    const id = await ps.oidc.link('refused-twice');
    await holdSweeper(id, new Date(Date.now() + 3_600_000));
    const grants = refreshGrants(ps.oidc);
    const answer = await call(id, 'status/401');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('tokenlane-connection-status')).toBe('reauth_required');
    expect(refreshGrants(ps.oidc) - grants).toBe(1);
    const row = await ps.oidc.row(id);
    expect(row.status).toBe('reauth_required');
    expect(row.lastErrorCode).toBe('unauthorized');
    expect(ps.api.requests()).toHaveLength(2);
    // From now on the token API's answer, and nothing is sent.
    ps.api.clear();
    const next = await call(id, 'echo/me');
    expect(next.status).toBe(409);
    expect((next.body as { error: { code: string } }).error.code).toBe('reauth_required');
    expect(next.headers.get('tokenlane-connection-status')).toBe('reauth_required');
    expect(ps.api.requests()).toEqual([]);
  });
});

describe('unauthorizedStatuses', () => {
  it('a provider declaring 403 gets the same one refresh and retry', async () => {
    const id = await ps.oidc.link('strict-user', 'strict');
    await holdSweeper(id, new Date(Date.now() + 3_600_000));
    const grants = refreshGrants(ps.oidc);
    const answer = await call(id, 'status/403');
    expect(answer.status).toBe(403);
    expect(refreshGrants(ps.oidc) - grants).toBe(1);
    expect(ps.api.requests()).toHaveLength(2);
    expect((await ps.oidc.row(id)).status).toBe('reauth_required');
    // Elsewhere a 403 is the provider's answer and nothing more.
    const plain = await ps.oidc.link('plain-403');
    ps.api.clear();
    expect((await call(plain, 'status/403')).status).toBe(403);
    expect(ps.api.requests()).toHaveLength(1);
    expect((await ps.oidc.row(plain)).status).toBe('active');
  });
});

describe('opt-in retries (Tokenlane-Retries)', () => {
  const retried = (id: ConnectionId, method: string, retries: number) =>
    ps.oidc.stack.api(
      method,
      `/v1/connections/${id}/proxy/flaky`,
      method === 'PUT' || method === 'POST' ? '{}' : undefined,
      {
        authorization: `Bearer ${PROXY_KEY}`,
        'tokenlane-retries': String(retries),
      },
    );

  it('retries an idempotent call on 5xx, and never a POST', async () => {
    const id = await ps.oidc.link('retries');
    ps.api.failNext(2, 503);
    expect((await retried(id, 'GET', 3)).status).toBe(200);
    expect(ps.api.requests()).toHaveLength(3);
    ps.api.clear();
    ps.api.failNext(1, 503);
    expect((await retried(id, 'POST', 3)).status).toBe(503);
    expect(ps.api.requests()).toHaveLength(1);
    ps.api.failNext(0, 503);
    ps.api.clear();
    ps.api.failNext(3, 502);
    expect((await retried(id, 'PUT', 1)).status).toBe(502);
    expect(ps.api.requests()).toHaveLength(2);
    ps.api.failNext(0, 503);
    expect((await retried(id, 'GET', 6)).status).toBe(400);
  });

  it('waits at least the provider’s Retry-After', async () => {
    const id = await ps.oidc.link('retry-after');
    ps.api.failNext(1, 429);
    const started = Date.now();
    expect((await retried(id, 'GET', 1)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(ps.api.requests()).toHaveLength(2);
  });
});

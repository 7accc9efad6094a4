import type { ConnectionId } from '@tokenlane/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';

let oidc: OidcStack;

beforeAll(async () => {
  oidc = await startOidcStack({
    clientId: 'faults',
    proxy: true,
    // The same peer again, with tokenlane's per-provider limit on token calls.
    moreProviders: (acme) => ({ limited: { ...acme, rateLimit: { requests: 2, perSeconds: 1 } } }),
  });
}, 90_000);

afterAll(async () => {
  await oidc.close();
});

const link = (userId: string, provider?: string) => oidc.link(userId, provider);
const row = (id: ConnectionId) => oidc.row(id);

// A fault mode left on would fail the next test's link: reset it whatever happened.
afterEach(() => {
  oidc.proxy!.setMode({ kind: 'pass' });
});

describe('a provider that fails, then recovers', () => {
  it('sends one request per attempt, persists a growing backoff, and recovers', async () => {
    const id = await link('outage');
    const before = await row(id);
    oidc.proxy!.setMode({ kind: 'status', status: 503 });
    const start = oidc.proxy!.arrivals.length;
    const asked = Date.now();
    await oidc.stack.api('POST', `/v1/connections/${id}/refresh`);
    await vi.waitFor(
      async () => {
        expect((await row(id)).refreshAttempts).toBe(1);
      },
      { timeout: 15_000, interval: 100 },
    );
    const failing = await row(id);
    expect(failing).toMatchObject({ status: 'active', lastErrorCode: 'provider_unavailable' });
    expect(failing.failingSince).not.toBeNull();
    // The next attempt is on the row, at least the backoff floor away.
    expect(failing.refreshDueAt!.getTime()).toBeGreaterThanOrEqual(asked + 19_000);
    expect(oidc.proxy!.arrivals.length - start).toBe(1);

    // A caller cannot cut the backoff short: no request reaches the provider, and the
    // still-valid token is served as it is.
    await oidc.stack.api('POST', `/v1/connections/${id}/refresh`);
    const token = await oidc.stack.api('GET', `/v1/connections/${id}/token?minValidity=86400`);
    expect(token.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(oidc.proxy!.arrivals.length - start).toBe(1);

    oidc.proxy!.setMode({ kind: 'pass' });
    await oidc.makeDue([id]);
    await vi.waitFor(
      async () => {
        expect((await row(id)).tokenVersion).toBe(before.tokenVersion + 1);
      },
      { timeout: 20_000, interval: 250 },
    );
    expect(await row(id)).toMatchObject({
      status: 'active',
      refreshAttempts: 0,
      lastErrorCode: null,
      failingSince: null,
    });
    const events = await oidc.stack.db.db
      .selectFrom('events')
      .select('type')
      .where('connection_id', '=', id)
      .orderBy('seq')
      .execute();
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'connection.refresh_failed')).toHaveLength(1);
    expect(types.at(-1)).toBe('connection.refreshed');
  }, 60_000);

  it("puts the next attempt no sooner than a 429's Retry-After", async () => {
    const id = await link('rate-limited');
    oidc.proxy!.setMode({ kind: 'status', status: 429, retryAfterSeconds: 120 });
    const start = oidc.proxy!.arrivals.length;
    const asked = Date.now();
    await oidc.stack.api('POST', `/v1/connections/${id}/refresh`);
    await vi.waitFor(
      async () => {
        expect((await row(id)).lastErrorCode).toBe('rate_limited');
      },
      { timeout: 15_000, interval: 100 },
    );
    expect((await row(id)).refreshDueAt!.getTime()).toBeGreaterThanOrEqual(asked + 119_000);
    expect(oidc.proxy!.arrivals.length - start).toBe(1);
  }, 60_000);

  it("keeps a refresh wave under the provider's rate limit", async () => {
    const ids: ConnectionId[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await link(`wave-${i}`, 'limited'));
    const versions = await Promise.all(ids.map(async (id) => (await row(id)).tokenVersion));
    const start = oidc.proxy!.arrivals.length;
    // All due at once: the sweeper enqueues the whole wave in one go.
    await oidc.stack.db.db
      .updateTable('connections')
      .set({ refresh_due_at: new Date() })
      .where('id', 'in', ids)
      .execute();
    await vi.waitFor(
      async () => {
        const now = await Promise.all(ids.map(async (id) => (await row(id)).tokenVersion));
        expect(now.every((version, i) => version > versions[i]!)).toBe(true);
      },
      { timeout: 20_000, interval: 200 },
    );
    const perSecond = new Map<number, number>();
    for (const at of oidc.proxy!.arrivals.slice(start)) {
      const second = Math.floor(at / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(oidc.proxy!.arrivals.length - start).toBe(6);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2);
  }, 60_000);
});

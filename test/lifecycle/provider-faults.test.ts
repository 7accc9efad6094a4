import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { completeInteraction, startOidcPeer, type OidcPeer } from '../peers/oidc-peer.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { RETURN_URL, startStack, type Stack } from '../support/stack.js';

const SECRET = 'faults-client-secret-77c2';
let peer: OidcPeer;
let proxy: FaultProxy;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    providers: async (ingressUrl) => {
      peer = await startOidcPeer({
        refreshTokenRotation: true,
        clients: [
          {
            clientId: 'faults',
            clientSecret: SECRET,
            redirectUris: [`${ingressUrl}/oauth/callback`],
            tokenEndpointAuthMethod: 'client_secret_basic',
          },
        ],
      });
      proxy = await startFaultProxy(peer.issuer);
      return {
        acme: {
          kind: 'oauth2',
          authorizationUrl: peer.authorizationUrl,
          // Token calls go through the fault proxy.
          tokenUrl: `${proxy.url}${new URL(peer.tokenUrl).pathname}`,
          clientId: 'faults',
          clientSecret: SECRET,
          scopes: ['openid', 'offline_access'],
          authorizationParams: { prompt: 'consent' },
          pkce: true,
        },
        // The same peer, with tokenlane's per-provider limit on token calls.
        limited: {
          kind: 'oauth2',
          authorizationUrl: peer.authorizationUrl,
          tokenUrl: `${proxy.url}${new URL(peer.tokenUrl).pathname}`,
          clientId: 'faults',
          clientSecret: SECRET,
          scopes: ['openid', 'offline_access'],
          authorizationParams: { prompt: 'consent' },
          pkce: true,
          rateLimit: { requests: 2, perSeconds: 1 },
        },
      };
    },
  });
}, 90_000);

afterAll(async () => {
  await stack.stop();
  await proxy.close();
  await peer.close();
});

async function link(userId: string, provider = 'acme'): Promise<ConnectionId> {
  const created = await stack.api('POST', '/v1/links', {
    userId,
    provider,
    returnUrl: RETURN_URL,
  });
  const back = await completeInteraction((created.body as { linkWebUrl: string }).linkWebUrl);
  const response = await fetch(`${stack.url}/oauth/callback${back.search}`, { redirect: 'manual' });
  return new URL(response.headers.get('location')!).searchParams.get(
    'connectionId',
  ) as ConnectionId;
}

const row = async (id: ConnectionId) => (await findConnection(stack.db.db, id))!;

describe('a provider that fails, then recovers', () => {
  it('retries 503s with backoff, records each failure, and recovers when the provider does', async () => {
    const id = await link('outage');
    const before = await row(id);
    proxy.setMode({ kind: 'status', status: 503 });
    const start = proxy.arrivals.length;
    await stack.api('POST', `/v1/connections/${id}/refresh`);
    await vi.waitFor(
      async () => {
        expect((await row(id)).refreshAttempts).toBeGreaterThanOrEqual(2);
      },
      { timeout: 15_000, interval: 200 },
    );
    const failing = await row(id);
    expect(failing).toMatchObject({ status: 'active', lastErrorCode: 'provider_unavailable' });
    // Bounded: a few in-call retries per attempt, no hot loop.
    expect(proxy.arrivals.length - start).toBeLessThan(20);

    proxy.setMode({ kind: 'pass' });
    await vi.waitFor(
      async () => {
        expect((await row(id)).tokenVersion).toBe(before.tokenVersion + 1);
      },
      { timeout: 40_000, interval: 250 },
    );
    expect(await row(id)).toMatchObject({
      status: 'active',
      refreshAttempts: 0,
      lastErrorCode: null,
    });
    const events = await stack.db.db
      .selectFrom('events')
      .select('type')
      .where('connection_id', '=', id)
      .orderBy('seq')
      .execute();
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'connection.refresh_failed').length).toBe(
      failing.refreshAttempts,
    );
    expect(types.at(-1)).toBe('connection.refreshed');
  }, 60_000);

  it("honors a 429's Retry-After between attempts", async () => {
    const id = await link('rate-limited');
    proxy.setMode({ kind: 'status', status: 429, retryAfterSeconds: 3 });
    const start = proxy.arrivals.length;
    await stack.api('POST', `/v1/connections/${id}/refresh`);
    await vi.waitFor(
      () => {
        expect(proxy.arrivals.length - start).toBeGreaterThanOrEqual(3);
      },
      { timeout: 20_000, interval: 100 },
    );
    const arrivals = proxy.arrivals.slice(start, start + 3);
    for (let i = 1; i < arrivals.length; i += 1) {
      expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(2_900);
    }
    expect((await row(id)).lastErrorCode).toBe('rate_limited');
    proxy.setMode({ kind: 'pass' });
    await vi.waitFor(
      async () => {
        expect((await row(id)).refreshAttempts).toBe(0);
      },
      { timeout: 30_000, interval: 250 },
    );
  }, 60_000);

  it("keeps a refresh wave under the provider's rate limit", async () => {
    const ids: ConnectionId[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await link(`wave-${i}`, 'limited'));
    const versions = await Promise.all(ids.map(async (id) => (await row(id)).tokenVersion));
    const start = proxy.arrivals.length;
    // All due at once: the sweeper enqueues the whole wave in one go.
    await stack.db.db
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
    for (const at of proxy.arrivals.slice(start)) {
      const second = Math.floor(at / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(proxy.arrivals.length - start).toBe(6);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2);
  }, 60_000);
});

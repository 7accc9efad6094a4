import type { ConnectionId } from '@tokenlane/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { completeInteraction, startOidcPeer, type OidcPeer } from '../peers/oidc-peer.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { RETURN_URL, startStack, type Stack } from '../support/stack.js';

const SECRET = 'shutdown-client-secret-4d1e';
const CONNECTIONS = 16;
let peer: OidcPeer;
let proxy: FaultProxy;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '300' },
    providers: async (ingressUrl) => {
      peer = await startOidcPeer({
        refreshTokenRotation: true,
        clients: [
          {
            clientId: 'shutdown',
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
          tokenUrl: `${proxy.url}${new URL(peer.tokenUrl).pathname}`,
          clientId: 'shutdown',
          clientSecret: SECRET,
          scopes: ['openid', 'offline_access'],
          authorizationParams: { prompt: 'consent' },
          pkce: true,
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

async function link(userId: string): Promise<ConnectionId> {
  const created = await stack.api('POST', '/v1/links', {
    userId,
    provider: 'acme',
    returnUrl: RETURN_URL,
  });
  const back = await completeInteraction((created.body as { linkWebUrl: string }).linkWebUrl);
  const response = await fetch(`${stack.url}/oauth/callback${back.search}`, { redirect: 'manual' });
  return new URL(response.headers.get('location')!).searchParams.get(
    'connectionId',
  ) as ConnectionId;
}

async function versions(ids: ConnectionId[]) {
  return stack.db.db
    .selectFrom('connections')
    .select(['id', 'token_version', 'status'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
}

describe('SIGTERM during a refresh burst', () => {
  it('exits within the bound, and every refresh completes after a restart', async () => {
    const ids: ConnectionId[] = [];
    for (let i = 0; i < CONNECTIONS; i += 1) ids.push(await link(`burst-${i}`));
    const before = new Map((await versions(ids)).map((row) => [row.id, row.token_version]));

    // A slow provider keeps refreshes in flight while the worker is told to stop.
    proxy.setMode({ kind: 'delay', ms: 1_500 });
    const start = proxy.arrivals.length;
    await stack.db.db
      .updateTable('connections')
      .set({ refresh_due_at: new Date() })
      .where('id', 'in', ids)
      .execute();
    await vi.waitFor(
      () => {
        expect(proxy.arrivals.length - start).toBeGreaterThanOrEqual(3);
      },
      { timeout: 15_000, interval: 50 },
    );

    const worker = stack.services.find((service) => service.name === 'worker')!;
    const stopping = Date.now();
    const code = await worker.stop('SIGTERM');
    const tookMs = Date.now() - stopping;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(30_000);
    expect(worker.output.join('\n')).toContain('shutting down');

    proxy.setMode({ kind: 'pass' });
    await stack.startWorker();
    await vi.waitFor(
      async () => {
        const rows = await versions(ids);
        expect(rows.filter((row) => row.token_version > before.get(row.id)!).length).toBe(
          CONNECTIONS,
        );
      },
      { timeout: 30_000, interval: 250 },
    );
    // No refresh answer was lost: a spent rotating refresh token would show as reauth_required.
    expect((await versions(ids)).map((row) => row.status)).toEqual(
      Array(CONNECTIONS).fill('active'),
    );
  }, 120_000);
});

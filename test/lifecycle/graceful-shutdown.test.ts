import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';

const CONNECTIONS = 16;
let oidc: OidcStack;

beforeAll(async () => {
  oidc = await startOidcStack({
    clientId: 'shutdown',
    proxy: true,
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '300' },
  });
}, 90_000);

afterAll(async () => {
  await oidc.close();
});

describe('SIGTERM during a refresh burst', () => {
  it('exits within the bound, and every refresh completes after a restart', async () => {
    const ids = await oidc.linkMany('burst', CONNECTIONS);
    const before = new Map((await oidc.rows(ids)).map((row) => [row.id, row.token_version]));

    // A slow provider keeps refreshes in flight while the worker is told to stop.
    oidc.proxy!.setMode({ kind: 'delay', ms: 1_500 });
    const start = oidc.proxy!.arrivals.length;
    await oidc.makeDue(ids);
    await vi.waitFor(
      () => {
        expect(oidc.proxy!.arrivals.length - start).toBeGreaterThanOrEqual(3);
      },
      { timeout: 15_000, interval: 50 },
    );

    const worker = oidc.stack.services.find((service) => service.name === 'worker')!;
    const stopping = Date.now();
    const code = await worker.stop('SIGTERM');
    const tookMs = Date.now() - stopping;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(30_000);
    expect(worker.output.join('\n')).toContain('shutting down');

    oidc.proxy!.setMode({ kind: 'pass' });
    await oidc.stack.startWorker();
    await vi.waitFor(
      async () => {
        const rows = await oidc.rows(ids);
        expect(rows.filter((row) => row.token_version > before.get(row.id)!).length).toBe(
          CONNECTIONS,
        );
      },
      { timeout: 30_000, interval: 250 },
    );
    // No refresh answer was lost: a spent rotating refresh token would show as reauth_required.
    expect((await oidc.rows(ids)).map((row) => row.status)).toEqual(
      Array(CONNECTIONS).fill('active'),
    );
  }, 120_000);
});

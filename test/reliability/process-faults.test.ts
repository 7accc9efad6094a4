import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';

let oidc: OidcStack;

beforeAll(async () => {
  oidc = await startOidcStack({
    clientId: 'process-faults',
    proxy: true,
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '300' },
  });
}, 90_000);

afterAll(async () => {
  await oidc.close();
});

describe('worker processes failing and scaling during a refresh burst', () => {
  it('two worker replicas refresh each connection exactly once', async () => {
    const ids = await oidc.linkMany('replicas', 12);
    const before = new Map((await oidc.rows(ids)).map((row) => [row.id, row.token_version]));
    await oidc.stack.startWorker();
    await oidc.makeDue(ids);
    await vi.waitFor(
      async () => {
        const now = await oidc.rows(ids);
        expect(now.every((row) => row.token_version > before.get(row.id)!)).toBe(true);
      },
      { timeout: 20_000, interval: 200 },
    );
    // Rotation is on: a second refresh of the same token would have ended in reauth_required.
    const after = await oidc.rows(ids);
    expect(after.map((row) => row.token_version - before.get(row.id)!)).toEqual(Array(12).fill(1));
    expect(after.every((row) => row.status === 'active')).toBe(true);
  }, 60_000);

  it('kill -9 mid-burst: after a restart every connection is active, or precisely reported', async () => {
    const ids = await oidc.linkMany('killed', 12);
    const before = new Map((await oidc.rows(ids)).map((row) => [row.id, row.token_version]));
    const proxy = oidc.proxy!;
    proxy.setMode({ kind: 'delay', ms: 1_000 });
    const start = proxy.arrivals.length;
    await oidc.makeDue(ids);
    await vi.waitFor(
      () => {
        expect(proxy.arrivals.length - start).toBeGreaterThanOrEqual(3);
      },
      { timeout: 15_000, interval: 50 },
    );
    for (const worker of oidc.stack.services.filter((service) => service.name === 'worker')) {
      await worker.stop('SIGKILL');
    }
    // Requests the dead worker sent still reach the provider, which rotates the refresh token:
    // those answers are lost. That is the window this test measures.
    const inFlight = proxy.arrivals.length - start;
    proxy.setMode({ kind: 'pass' });
    await oidc.stack.startWorker();
    // BullMQ hands the dead worker's jobs on once their locks lapse (30 s).
    await vi.waitFor(
      async () => {
        const now = await oidc.rows(ids);
        const settled = now.filter(
          (row) => row.token_version > before.get(row.id)! || row.status === 'reauth_required',
        );
        expect(settled.length).toBe(ids.length);
      },
      { timeout: 90_000, interval: 500 },
    );
    const after = await oidc.rows(ids);
    const lost = after.filter((row) => row.status === 'reauth_required');
    for (const row of lost) expect(row.last_error_code).toBe('invalid_grant');
    expect(lost.length).toBeLessThanOrEqual(inFlight);
    console.log(
      `kill -9 window: ${inFlight} token requests in flight, ${lost.length} of ${ids.length} connections need re-auth`,
    );
  }, 150_000);
});

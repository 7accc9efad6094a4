import { freePort } from '@tokenlane/queue';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalPostgres, type LocalPostgres } from '../support/local-postgres.js';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';

// A Postgres of this file's own: restarting the shared one would disturb other files.
let postgres: LocalPostgres;
let oidc: OidcStack;

beforeAll(async () => {
  postgres = await startLocalPostgres(await freePort());
  oidc = await startOidcStack({
    clientId: 'postgres-restart',
    proxy: true,
    databaseUrl: postgres.url,
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '300' },
  });
}, 90_000);

afterAll(async () => {
  await oidc.close();
  await postgres.stop();
});

describe('Postgres restarted during a refresh burst', () => {
  it('refreshes whose answer arrived are stored after the restart; nothing is lost', async () => {
    const ids = await oidc.linkMany('pg', 10);
    const before = new Map((await oidc.rows(ids)).map((row) => [row.id, row.token_version]));
    const proxy = oidc.proxy!;
    proxy.setMode({ kind: 'delay', ms: 800 });
    const start = proxy.arrivals.length;
    await oidc.makeDue(ids);
    await vi.waitFor(
      () => {
        expect(proxy.arrivals.length - start).toBeGreaterThanOrEqual(2);
      },
      { timeout: 15_000, interval: 50 },
    );
    // The provider rotates while the database is away: the answers must survive in memory.
    await postgres.restart();
    proxy.setMode({ kind: 'pass' });

    await vi.waitFor(
      async () => {
        const now = await oidc.rows(ids);
        expect(now.filter((row) => row.token_version > before.get(row.id)!).length).toBe(
          ids.length,
        );
      },
      { timeout: 60_000, interval: 500 },
    );
    expect((await oidc.rows(ids)).every((row) => row.status === 'active')).toBe(true);
    await vi.waitFor(async () => {
      expect((await oidc.stack.api('GET', '/readyz')).status).toBe(200);
    });
  }, 120_000);
});

import { freePort } from '@tokenlane/queue';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { refreshBurstThrough } from '../support/bursts.js';
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
    await refreshBurstThrough(oidc, {
      label: 'pg',
      count: 10,
      delayMs: 800,
      // The provider rotates while the database is away: the answers must survive in memory.
      fault: () => postgres.restart(),
    });
  }, 120_000);
});

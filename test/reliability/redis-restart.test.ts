import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalRedis, type LocalRedis } from '@tokenlane/queue';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';

// A Redis of this file's own (AOF on): restarting the shared one would disturb other files.
let redis: LocalRedis;
let redisDir: string;
let redisPort: number;
let oidc: OidcStack;

beforeAll(async () => {
  redisDir = await mkdtemp(join(tmpdir(), 'tokenlane-redis-restart-'));
  redisPort = await freePort();
  redis = await startLocalRedis({ dataDir: redisDir, port: redisPort });
  oidc = await startOidcStack({
    clientId: 'redis-restart',
    proxy: true,
    env: { REDIS_URL: redis.url, TOKENLANE_SWEEP_INTERVAL_MS: '300' },
  });
}, 90_000);

afterAll(async () => {
  await oidc.close();
  await redis.stop();
  await rm(redisDir, { recursive: true, force: true });
});

describe('Redis restarted during a refresh burst', () => {
  it('workers reconnect by themselves and no job or connection is lost', async () => {
    const ids = await oidc.linkMany('redis', 10);
    const before = new Map((await oidc.rows(ids)).map((row) => [row.id, row.token_version]));
    const proxy = oidc.proxy!;
    proxy.setMode({ kind: 'delay', ms: 1_000 });
    const start = proxy.arrivals.length;
    await oidc.makeDue(ids);
    await vi.waitFor(
      () => {
        expect(proxy.arrivals.length - start).toBeGreaterThanOrEqual(2);
      },
      { timeout: 15_000, interval: 50 },
    );

    await redis.stop();
    const down = await oidc.stack.api('GET', '/readyz');
    expect(down.status).toBe(503);
    redis = await startLocalRedis({ dataDir: redisDir, port: redisPort });
    proxy.setMode({ kind: 'pass' });

    await vi.waitFor(
      async () => {
        const now = await oidc.rows(ids);
        expect(now.filter((row) => row.token_version > before.get(row.id)!).length).toBe(
          ids.length,
        );
      },
      { timeout: 60_000, interval: 250 },
    );
    expect((await oidc.rows(ids)).every((row) => row.status === 'active')).toBe(true);
    await vi.waitFor(async () => {
      expect((await oidc.stack.api('GET', '/readyz')).status).toBe(200);
    });
  }, 120_000);
});

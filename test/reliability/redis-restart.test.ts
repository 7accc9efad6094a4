import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalRedis, type LocalRedis } from '@tokenlane/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshBurstThrough } from '../support/bursts.js';
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
    await refreshBurstThrough(oidc, {
      label: 'redis',
      count: 10,
      delayMs: 1_000,
      fault: async () => {
        await redis.stop();
        expect((await oidc.stack.api('GET', '/readyz')).status).toBe(503);
        redis = await startLocalRedis({ dataDir: redisDir, port: redisPort });
      },
    });
  }, 120_000);
});

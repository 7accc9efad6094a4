import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalRedis } from '@tokenlane/queue';
import { startLocalPostgres } from './local-postgres.js';

/**
 * Starts one real Redis and one real Postgres for the whole run on free ports, unless the
 * caller points the tests at its own with REDIS_URL / DATABASE_URL. Test files read the
 * addresses from TOKENLANE_TEST_REDIS_URL / TOKENLANE_TEST_DATABASE_URL (see harness.ts).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];

  if (process.env.REDIS_URL) {
    process.env.TOKENLANE_TEST_REDIS_URL = process.env.REDIS_URL;
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'tokenlane-redis-'));
    const redis = await startLocalRedis({ dataDir });
    process.env.TOKENLANE_TEST_REDIS_URL = redis.url;
    stops.push(async () => {
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
  }

  if (process.env.DATABASE_URL) {
    process.env.TOKENLANE_TEST_DATABASE_URL = process.env.DATABASE_URL;
  } else {
    const postgres = await startLocalPostgres(await freePort());
    process.env.TOKENLANE_TEST_DATABASE_URL = postgres.url;
    stops.push(() => postgres.stop());
  }

  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testRedisUrl, uniquePrefix } from './support/harness.js';

describe('test harness', () => {
  const redis = new Redis(testRedisUrl());
  afterAll(async () => {
    await redis.quit();
  });

  it('runs a real Redis with AOF on and noeviction', async () => {
    const key = `${uniquePrefix()}:probe`;
    await redis.set(key, 'x');
    expect(await redis.get(key)).toBe('x');
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    expect(policy).toBe('noeviction');
    await redis.del(key);
  });

  it('gives each caller its own real Postgres database', async () => {
    const first = await createTestDatabase('a');
    const second = await createTestDatabase('b');
    expect(first.name).not.toBe(second.name);
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    const result = await client.query<{ db: string; version: string }>(
      'select current_database() as db, version() as version',
    );
    await client.end();
    expect(result.rows[0]?.db).toBe(first.name);
    expect(result.rows[0]?.version).toMatch(/^PostgreSQL/);
    await first.drop();
    await second.drop();
  });
});

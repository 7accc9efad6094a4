import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '@tokenlane/test-support';
import { defineScript } from './scripts.js';

const LUA = `return redis.call('INCRBY', KEYS[1], ARGV[1])`;
const incrementBy = defineScript('test_increment_by', LUA);

describe('defineScript on real Redis', () => {
  const prefix = uniquePrefix('scripts');
  const redis = new Redis(testRedisUrl());
  const other = new Redis(testRedisUrl());

  afterAll(async () => {
    await redis.del(`${prefix}:n`);
    await redis.quit();
    await other.quit();
  });

  it('runs the script by its hash, on every client, and again after Redis forgot it', async () => {
    const key = `${prefix}:n`;
    expect(await incrementBy(redis, [key], [2])).toBe(2);
    const sha = createHash('sha1').update(LUA).digest('hex');
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
    expect(await incrementBy(other, [key], [3])).toBe(5);
    // A restart or failover empties the script cache: the next call loads it again.
    await redis.script('FLUSH');
    expect(await incrementBy(redis, [key], [4])).toBe(9);
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
  });
});

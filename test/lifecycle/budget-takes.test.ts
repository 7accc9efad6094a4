import { takeBudget } from '@tokenlane/lifecycle';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../support/harness.js';

const redis = new Redis(testRedisUrl());
afterAll(async () => {
  await redis.quit();
});

/** Commands this client sent to Redis from now on (the real server answers them all). */
function countCommands(): { sent: () => number } {
  const spy = vi.spyOn(redis, 'sendCommand');
  return {
    sent: () => {
      const count = spy.mock.calls.length;
      spy.mockRestore();
      return count;
    },
  };
}

/** `count` takes started in one tick: they reach Redis as one batch. */
const takeAtOnce = (count: number, take: (i: number) => Promise<number>) =>
  Promise.all(Array.from({ length: count }, (_, i) => take(i)));

describe('takeBudget, batched per tick', () => {
  it('grants the window in order and refuses the rest with the time until room', async () => {
    const prefix = uniquePrefix('budget');
    const provider = { id: 'batched', rateLimits: [{ requests: 6, perSeconds: 60 }] };
    await redis.ping(); // connected: the handshake is not counted
    const commands = countCommands();
    const waits = await takeAtOnce(10, () =>
      takeBudget(redis, prefix, provider, 'c', 'refresh', 0.2),
    );
    // One round trip for the ten (two when the script was new to the server).
    expect(commands.sent()).toBeLessThanOrEqual(2);
    expect(waits.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    for (const wait of waits.slice(6)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60_000);
    }
    // Only the granted takes were counted.
    const [key] = await redis.keys(`${prefix}:budget:batched:60s:app:*`);
    expect(await redis.get(key!)).toBe('6');
  });

  it('a take refused by its connection window spends nothing from the app window', async () => {
    const prefix = uniquePrefix('budget');
    const provider = {
      id: 'mixed',
      rateLimits: [
        { requests: 5, perSeconds: 60 },
        { requests: 1, perSeconds: 60, per: 'connection' as const },
      ],
    };
    // Three takes for connection a (one fits its window), then two for b and c.
    const owners = ['a', 'a', 'a', 'b', 'c'];
    const waits = await takeAtOnce(owners.length, (i) =>
      takeBudget(redis, prefix, provider, owners[i]!, 'refresh', 0),
    );
    expect(waits.map((wait) => wait === 0)).toEqual([true, false, false, true, true]);
    const [app] = await redis.keys(`${prefix}:budget:mixed:60s:app:*`);
    expect(await redis.get(app!)).toBe('3');
  });

  it('proxied calls stop at the refresh reserve within one batch', async () => {
    const prefix = uniquePrefix('budget');
    const provider = { id: 'reserved', rateLimits: [{ requests: 10, perSeconds: 60 }] };
    const uses = ['lookup', 'lookup', 'refresh', 'lookup', 'refresh'] as const;
    // 10 with 70 % reserved for refreshes: a look-up goes while fewer than 3 calls were
    // counted (refreshes included), a refresh while fewer than 10.
    const waits = await takeAtOnce(uses.length, (i) =>
      takeBudget(redis, prefix, provider, 'c', uses[i]!, 0.7),
    );
    expect(waits.map((wait) => wait === 0)).toEqual([true, true, true, false, true]);
    const fourth = await takeBudget(redis, prefix, provider, 'c', 'lookup', 0.7);
    expect(fourth).toBeGreaterThan(0);
    expect(await takeBudget(redis, prefix, provider, 'c', 'refresh', 0.7)).toBe(0);
  });
});

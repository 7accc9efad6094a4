import { takeBudget } from '@tokenlane/lifecycle';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

// A window is numbered from the clock: each test reads it frozen, at a moment of its choosing,
// so none straddles a window's end by chance.
const MINUTE = 60_000;
const midMinute = Math.floor(Date.now() / MINUTE) * MINUTE + MINUTE / 2;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(midMinute);
});
afterEach(() => {
  vi.useRealTimers();
});

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

  it('a take in the last moments of a window counts in the next one too', async () => {
    const prefix = uniquePrefix('budget');
    const provider = { id: 'edge', rateLimits: [{ requests: 4, perSeconds: 60 }] };
    const windowEnd = midMinute + MINUTE / 2;
    // 100 ms before the end, within the margin: the provider may see these in its next window.
    vi.setSystemTime(windowEnd - 100);
    const late = await takeAtOnce(4, () => takeBudget(redis, prefix, provider, 'c', 'refresh', 0));
    expect(late).toEqual([0, 0, 0, 0]);
    const next = `${prefix}:budget:edge:60s:app:${String(windowEnd / MINUTE)}`;
    expect(await redis.get(next)).toBe('4');
    // Just into the next window there is no room, until that window ends: the counter lives
    // 100 ms + a window from the takes (in Redis's real time; only our clock jumped).
    vi.setSystemTime(windowEnd + 50);
    const wait = await takeBudget(redis, prefix, provider, 'c', 'refresh', 0);
    expect(wait).toBeGreaterThan(MINUTE - 1_000);
    expect(wait).toBeLessThanOrEqual(MINUTE + 100);
    // A take outside the margin counts in its own window only.
    vi.setSystemTime(windowEnd + MINUTE + MINUTE / 2);
    expect(await takeBudget(redis, prefix, provider, 'c', 'refresh', 0)).toBe(0);
    const after = `${prefix}:budget:edge:60s:app:${String(windowEnd / MINUTE + 2)}`;
    expect(await redis.exists(after)).toBe(0);
  });
});

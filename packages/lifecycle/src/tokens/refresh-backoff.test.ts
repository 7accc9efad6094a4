import { describe, expect, it } from 'vitest';
import { REFRESH_BACKOFF, refreshBackoffMs } from './refresh-backoff.js';

describe('refresh backoff', () => {
  it('grows with each failure in a row, above a floor, capped at 6 h', () => {
    const top = () => 0.999_999;
    const bottom = () => 0;
    expect(refreshBackoffMs(1, undefined, bottom)).toBe(REFRESH_BACKOFF.floorMs);
    const tops = [1, 2, 3, 4].map((attempt) => refreshBackoffMs(attempt, undefined, top));
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
    expect(tops[1]! - REFRESH_BACKOFF.floorMs).toBeCloseTo(
      2 * (tops[0]! - REFRESH_BACKOFF.floorMs),
      -1,
    );
    expect(refreshBackoffMs(40, undefined, top)).toBeLessThanOrEqual(REFRESH_BACKOFF.capMs);
    expect(refreshBackoffMs(40, undefined, top)).toBeGreaterThan(REFRESH_BACKOFF.capMs - 1000);
  });

  it('never comes sooner than the provider’s Retry-After', () => {
    expect(refreshBackoffMs(1, 3_600_000, () => 0)).toBe(3_600_000);
  });

  it('spreads a wave of failures (full jitter)', () => {
    const waits = new Set(Array.from({ length: 50 }, () => refreshBackoffMs(3)));
    expect(waits.size).toBeGreaterThan(40);
  });
});

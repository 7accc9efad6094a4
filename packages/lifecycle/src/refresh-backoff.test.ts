import { describe, expect, it } from 'vitest';
import { DEFAULT_FAILURE_POLICY as policy, scaledFailurePolicy } from './policy.js';
import { refreshBackoffMs } from './refresh-backoff.js';

describe('refresh backoff', () => {
  it('grows with each failure in a row, above a floor, capped at 6 h', () => {
    const top = () => 0.999_999;
    expect(refreshBackoffMs(policy, 1, undefined, () => 0)).toBe(policy.backoffFloorMs);
    const tops = [1, 2, 3, 4].map((attempt) => refreshBackoffMs(policy, attempt, undefined, top));
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
    const above = tops.map((wait) => wait - policy.backoffFloorMs);
    expect(above[1]! / above[0]!).toBeCloseTo(2, 3);
    expect(refreshBackoffMs(policy, 40, undefined, top)).toBeLessThanOrEqual(policy.backoffCapMs);
    expect(refreshBackoffMs(policy, 40, undefined, top)).toBeGreaterThan(
      policy.backoffCapMs - 1000,
    );
  });

  it('never comes sooner than the provider’s Retry-After', () => {
    expect(refreshBackoffMs(policy, 1, 3_600_000, () => 0)).toBe(3_600_000);
  });

  it('spreads a wave of failures (full jitter)', () => {
    const waits = new Set(Array.from({ length: 50 }, () => refreshBackoffMs(policy, 3)));
    expect(waits.size).toBeGreaterThan(40);
  });

  it('runs on a compressed clock when the policy is scaled', () => {
    const fast = scaledFailurePolicy(policy, 60);
    expect(refreshBackoffMs(fast, 1, undefined, () => 0)).toBe(
      Math.round(policy.backoffFloorMs / 60),
    );
    expect(fast.probeFirstMs).toBe(1_000);
  });
});

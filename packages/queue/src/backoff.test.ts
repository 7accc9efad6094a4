import { describe, expect, it } from 'vitest';
import { fullJitterBackoff } from './backoff.js';

const options = { baseMs: 1_000, capMs: 30_000 };

describe('fullJitterBackoff', () => {
  it('grows the ceiling exponentially and caps it', () => {
    const top = () => 0.999_999;
    expect(fullJitterBackoff(1, options, undefined, top)).toBe(999);
    expect(fullJitterBackoff(2, options, undefined, top)).toBe(1_999);
    expect(fullJitterBackoff(4, options, undefined, top)).toBe(7_999);
    expect(fullJitterBackoff(10, options, undefined, top)).toBe(29_999);
    expect(fullJitterBackoff(1_000, options, undefined, top)).toBe(29_999);
  });

  it('draws the whole range from zero (full jitter)', () => {
    expect(fullJitterBackoff(5, options, undefined, () => 0)).toBe(0);
    const samples = Array.from({ length: 2_000 }, () => fullJitterBackoff(3, options));
    expect(Math.min(...samples)).toBeLessThan(400);
    expect(Math.max(...samples)).toBeGreaterThan(3_600);
    expect(samples.every((ms) => ms >= 0 && ms < 4_000)).toBe(true);
  });

  it("honors the provider's Retry-After, even past the cap", () => {
    const error = Object.assign(new Error('429'), { retryAfterMs: 120_000 });
    expect(fullJitterBackoff(1, options, error, () => 0.5)).toBe(120_000);
    const small = Object.assign(new Error('429'), { retryAfterMs: 10 });
    expect(fullJitterBackoff(3, options, small, () => 0.5)).toBe(2_000);
  });

  it('ignores a malformed retryAfterMs', () => {
    const error = Object.assign(new Error('x'), { retryAfterMs: Number.NaN });
    expect(fullJitterBackoff(1, options, error, () => 0.5)).toBe(500);
  });
});

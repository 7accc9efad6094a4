import { describe, expect, it } from 'vitest';
import { idempotent, retryAfterMs, retryDelayMs, retryableStatus } from './retries.js';

describe('proxy retries', () => {
  it('retries only idempotent methods, on 429 and 5xx', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE'].every(idempotent)).toBe(true);
    expect(idempotent('POST') || idempotent('PATCH')).toBe(false);
    expect([429, 500, 502, 503].every(retryableStatus)).toBe(true);
    expect([200, 302, 400, 401, 404].some(retryableStatus)).toBe(false);
  });

  it('waits with full jitter under an exponential ceiling, never sooner than Retry-After', () => {
    expect(retryDelayMs(0, 0, () => 0.999)).toBe(249);
    expect(retryDelayMs(3, 0, () => 0.5)).toBe(1000);
    expect(retryDelayMs(10, 0, () => 0.999)).toBe(9990);
    expect(retryDelayMs(0, 0, () => 0)).toBe(0);
    expect(retryDelayMs(0, 7000, () => 0.5)).toBe(7000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(undefined)).toBe(0);
    expect(retryAfterMs('soon')).toBe(0);
    const now = Date.parse('2026-12-06T10:00:00Z');
    expect(retryAfterMs('Sun, 06 Dec 2026 10:00:03 GMT', now)).toBe(3000);
  });
});

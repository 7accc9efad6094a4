import { describe, expect, it } from 'vitest';
import { refreshDueAt } from './refresh-schedule.js';

const issuedAt = new Date('2026-01-01T00:00:00Z');
const after = (ms: number) => new Date(issuedAt.getTime() + ms);

describe('refreshDueAt', () => {
  it('never schedules a token without expiry', () => {
    expect(refreshDueAt(issuedAt, undefined)).toBeNull();
    expect(refreshDueAt(issuedAt, null)).toBeNull();
  });

  it('lands 75–85 % into the lifetime', () => {
    const hour = 3_600_000;
    expect(refreshDueAt(issuedAt, after(hour), () => 0)).toEqual(after(0.75 * hour));
    expect(refreshDueAt(issuedAt, after(hour), () => 1)).toEqual(after(0.85 * hour));
  });

  it('spreads a wave of links over the window', () => {
    const eightHours = 8 * 3_600_000;
    const due = Array.from({ length: 500 }, () =>
      refreshDueAt(issuedAt, after(eightHours))!.getTime(),
    );
    const spread = Math.max(...due) - Math.min(...due);
    expect(spread).toBeGreaterThan(0.08 * eightHours);
  });

  it('keeps a margin before expiry for short-lived tokens', () => {
    expect(refreshDueAt(issuedAt, after(60_000), () => 1)).toEqual(after(30_000));
    expect(refreshDueAt(issuedAt, after(10_000), () => 1)).toEqual(after(5_000));
  });

  it('refreshes at once when the token is already expired', () => {
    expect(refreshDueAt(issuedAt, after(-1))).toEqual(issuedAt);
  });
});

import { describe, expect, it } from 'vitest';
import { budgetCell, perWindow } from './rate-budget.js';

describe('the console’s rate budget cell', () => {
  it.each([
    [60, 'a minute'],
    [900, 'per 15 minutes'],
    [300, 'per 5 minutes'],
    [3_600, 'an hour'],
    [7_200, 'per 2 hours'],
    [86_400, 'a day'],
    [90, 'per 90 seconds'],
  ])('%i s reads "%s"', (seconds, words) => {
    expect(perWindow(seconds)).toBe(words);
  });

  it('shows what is left of app-wide windows and the limit alone of per-user ones', () => {
    const cell = String(
      budgetCell([
        { window: '900s', requests: 200, perSeconds: 900, per: 'app', remaining: 187 },
        { window: '86400s', requests: 2_000, perSeconds: 86_400, per: 'app', remaining: 1_987 },
        { window: '3600s', requests: 150, perSeconds: 3_600, per: 'connection', remaining: null },
      ]),
    );
    expect(cell).toBe(
      '200 per 15 minutes: <strong>187</strong> left<br />2,000 a day: <strong>1,987</strong> left<br />150 an hour per user',
    );
    expect(String(budgetCell([]))).toContain('no limit set');
  });
});

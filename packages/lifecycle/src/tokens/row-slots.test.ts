import { describe, expect, it } from 'vitest';
import { RowSlots } from './row-slots.js';

describe('RowSlots', () => {
  it('runs at most its size at once, passes slots on in order, and frees them on failure', async () => {
    const slots = new RowSlots(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const work = (i: number) =>
      slots.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        order.push(i);
        if (i === 1) throw new Error('boom');
        return i;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map(work));
    expect(peak).toBe(2);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(order.slice(2)).toEqual([2, 3, 4]);
    expect(slots.inUse).toBe(0);
  });
});

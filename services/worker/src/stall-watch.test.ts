import { describe, expect, it } from 'vitest';
import { StallWatch } from './stall-watch.js';

const CHECK = 10_000;

/** Checks at 0, 10, 20… s with these waiting counts; the checks that asked for a restart. */
function run(watch: StallWatch, waiting: readonly number[], pickups: readonly number[] = []) {
  const restarts: number[] = [];
  waiting.forEach((count, i) => {
    const now = i * CHECK;
    for (const at of pickups) if (at > now - CHECK && at <= now) watch.pickup('exchange', at);
    if (watch.observe('exchange', count, now)) restarts.push(i);
  });
  return restarts;
}

describe('StallWatch', () => {
  it('replaces a worker whose queue kept jobs waiting at three checks while it took none', () => {
    expect(run(new StallWatch(3), [1, 1, 1])).toEqual([2]);
  });

  it('leaves an idle worker alone, and one whose queue empties between checks', () => {
    expect(run(new StallWatch(3), [0, 0, 0, 0])).toEqual([]);
    expect(run(new StallWatch(3), [1, 0, 1, 0, 1, 1])).toEqual([]);
  });

  it('leaves a busy worker alone: jobs wait, but it keeps taking them', () => {
    const pickups = [5_000, 15_000, 25_000, 35_000, 45_000];
    expect(run(new StallWatch(3), [5, 5, 5, 5, 5], pickups)).toEqual([]);
  });

  it('leaves a worker alone whose every slot waits on a slow provider', () => {
    const watch = new StallWatch(3);
    const restarts = [0, 1, 2, 3].filter((i) => watch.observe('exchange', 7, i * CHECK, true));
    expect(restarts).toEqual([]);
  });

  it('catches a worker that stops taking jobs after a busy spell', () => {
    // Took jobs until 12 s, then nothing while jobs waited: replaced at the check of 40 s,
    // the first whose window (20-40 s) holds no pickup.
    expect(run(new StallWatch(3), [5, 5, 5, 5, 5], [5_000, 12_000])).toEqual([4]);
  });

  it('gives the replacement a whole window before judging it again', () => {
    expect(run(new StallWatch(3), [1, 1, 1, 1, 1, 1])).toEqual([2, 5]);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '@tokenlane/test-support';
import { z } from 'zod';
import { defineJob } from './define.js';
import { JobQueues } from './queues.js';
import { startWorkers } from './workers.js';

const connection = { url: testRedisUrl(), maxRetriesPerRequest: null };

/** A job of three attempts whose run is the test's own. */
function jobRunning(name: string, run: Parameters<typeof defineJob>[0]['run']) {
  return defineJob({
    name,
    payload: z.strictObject({ id: z.string() }),
    jobId: (p: { id: string }) => `${name}-${p.id}`,
    attempts: 3,
    backoff: { baseMs: 50, capMs: 50 },
    retention: { completed: { age: 3_600 }, failed: { age: 3_600 } },
    lockMs: 10_000,
    concurrency: 1,
    run,
  });
}

describe('JobControl on real BullMQ', () => {
  const prefix = uniquePrefix('control');
  const queues = new JobQueues(connection, prefix);
  afterAll(() => queues.close());

  it('defers without spending an attempt, and says which attempt is the last', async () => {
    const seen: { lastAttempt: boolean; at: number }[] = [];
    const job = jobRunning('deferring', async (_deps, _payload, control) => {
      seen.push({ lastAttempt: control.lastAttempt, at: Date.now() });
      if (seen.length === 1) await control.deferUntil(Date.now() + 200);
      if (seen.length === 2) throw new Error('our own failure: retried');
      return 'done';
    });
    const [worker] = startWorkers([job], undefined, { connection, prefix });
    const finished = await queues.enqueueAndWait(job, { id: 'a' }, 10_000);
    await worker!.close();
    expect(finished).toEqual({ status: 'completed', result: 'done' });
    // The deferral cost no attempt: the third run is the second attempt, not the last.
    expect(seen.map((run) => run.lastAttempt)).toEqual([false, false, false]);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(150);
  });

  it('gives up at once: failed, no further attempt', async () => {
    let runs = 0;
    const job = jobRunning('giving-up', (_deps, _payload, control) => {
      runs += 1;
      return Promise.resolve(control.giveUp('nothing more to try'));
    });
    const [worker] = startWorkers([job], undefined, { connection, prefix });
    const finished = await queues.enqueueAndWait(job, { id: 'b' }, 10_000);
    await worker!.close();
    expect(finished).toEqual({ status: 'failed' });
    expect(runs).toBe(1);
    const failed = await queues.queue('giving-up').getJob('giving-up-b');
    expect(failed?.failedReason).toBe('nothing more to try');
  });
});

import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '@tokenlane/test-support';
import { JobQueues } from './queues.js';
import { createRedis } from './redis.js';
import { startWorkers } from './workers.js';
import { defineJob } from './define.js';
import { z } from 'zod';

const connectionId = '6f0d4c2e-3b7a-4e51-9a57-0c1f2d3e4f50';

/** Jobs shaped like tokenlane's own (whose definitions live in lifecycle, above this package). */
const common = {
  backoff: { baseMs: 100, capMs: 1_000 },
  retention: { completed: { age: 3_600 }, failed: { age: 3_600 } },
  lockMs: 10_000,
  concurrency: 1,
};
const refreshLike = defineJob({
  ...common,
  name: 'refresh',
  payload: z.strictObject({ connectionId: z.uuid(), trigger: z.enum(['schedule', 'api']) }),
  jobId: (p) => `refresh-${p.connectionId}`,
  attempts: 3,
  run: () => Promise.resolve(undefined),
});
const exchangeLike = defineJob({
  ...common,
  name: 'exchange',
  payload: z.strictObject({ linkSessionId: z.uuid() }),
  jobId: (p) => `exchange-${p.linkSessionId}`,
  attempts: 3,
  run: () => Promise.resolve('exchanged'),
});

describe('JobQueues on real Redis', () => {
  const prefix = uniquePrefix('queue');
  const producer = createRedis(testRedisUrl(), 'producer');
  const queues = new JobQueues(producer, prefix, { url: testRedisUrl() });
  const inspector = new Redis(testRedisUrl());

  afterAll(async () => {
    await queues.close();
    await producer.quit();
    await inspector.quit();
  });

  it('adds a job once per deterministic id', async () => {
    const first = await queues.enqueue(
      refreshLike,
      { connectionId, trigger: 'schedule' },
      { delay: 60_000 },
    );
    const second = await queues.enqueue(refreshLike, { connectionId, trigger: 'api' });
    expect(first.id).toBe(`refresh-${connectionId}`);
    expect(second.id).toBe(first.id);
    expect(await queues.queue('refresh').getJobCounts('delayed', 'waiting')).toEqual({
      delayed: 1,
      waiting: 0,
    });
  });

  it('refuses payloads that are not the job shape: producers at compile time, the worker unretried', async () => {
    const seen: string[] = [];
    const strict = {
      ...exchangeLike,
      name: 'strict',
      run: (_: unknown, p: { linkSessionId: string }) =>
        Promise.resolve(seen.push(p.linkSessionId)),
    };
    // Never called: the compiler is the check.
    const producerWithSecret = () =>
      // @ts-expect-error — a token must never be part of a job payload
      queues.enqueue(exchangeLike, { linkSessionId: connectionId, code: 'secret-code' });
    expect(producerWithSecret).toBeTypeOf('function');
    const [worker] = startWorkers([strict], undefined, {
      connection: { url: testRedisUrl(), maxRetriesPerRequest: null },
      prefix,
    });
    const events = await queues.events('strict');
    // A producer that bypasses the types (say, an old client) is still refused, at the worker.
    const job = await queues.enqueue(strict, { linkSessionId: 'not-a-uuid' });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow('invalid strict payload');
    const failed = await queues.queue('strict').getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(seen).toEqual([]);
    await worker!.close();
    await queues.queue('strict').obliterate({ force: true });
  });

  it('runs jobs with parsed payloads and retries with the job backoff', async () => {
    const seen: { eventId: string; attempt: number }[] = [];
    let attempt = 0;
    const notifyLike = defineJob({
      ...common,
      name: 'notify',
      payload: z.strictObject({ eventId: z.uuid() }),
      jobId: (p) => `notify-${p.eventId}`,
      attempts: 20,
      backoff: { baseMs: 1_000, capMs: 60 * 60_000 },
      run: (_deps: undefined, payload) => {
        seen.push({ eventId: payload.eventId, attempt: attempt++ });
        if (attempt === 1) {
          return Promise.reject(Object.assign(new Error('receiver down'), { retryAfterMs: 300 }));
        }
        return Promise.resolve('delivered');
      },
    });
    const [worker] = startWorkers([notifyLike], undefined, {
      connection: { url: testRedisUrl(), maxRetriesPerRequest: null },
      prefix,
    });
    const started = Date.now();
    const finished = await queues.enqueueAndWait(notifyLike, { eventId: connectionId }, 10_000);
    expect(finished).toEqual({ status: 'completed', result: 'delivered' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(seen).toEqual([
      { eventId: connectionId, attempt: 0 },
      { eventId: connectionId, attempt: 1 },
    ]);
    await worker!.close();
  });

  it('keeps only ids in Redis', async () => {
    const keys = await inspector.keys(`${prefix}:*`);
    const dump: string[] = [];
    for (const key of keys) {
      const type = await inspector.type(key);
      if (type === 'hash') dump.push(JSON.stringify(await inspector.hgetall(key)));
    }
    const jobData = dump.filter((entry) => entry.includes('"data"'));
    expect(jobData.length).toBeGreaterThan(0);
    for (const entry of jobData) {
      const data = JSON.parse((JSON.parse(entry) as { data: string }).data) as object;
      expect(
        Object.keys(data).every((key) =>
          ['connectionId', 'trigger', 'eventId', 'linkSessionId'].includes(key),
        ),
      ).toBe(true);
    }
  });
});

import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '@tokenlane/test-support';
import { JobQueues } from './queues.js';
import { createRedis } from './redis.js';
import { startWorkers, type JobHandlers } from './workers.js';

const connectionId = '6f0d4c2e-3b7a-4e51-9a57-0c1f2d3e4f50';

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
      'refresh',
      { connectionId, trigger: 'schedule' },
      { delay: 60_000 },
    );
    const second = await queues.enqueue('refresh', { connectionId, trigger: 'api' });
    expect(first.id).toBe(`refresh-${connectionId}`);
    expect(second.id).toBe(first.id);
    expect(await queues.queue('refresh').getJobCounts('delayed', 'waiting')).toEqual({
      delayed: 1,
      waiting: 0,
    });
  });

  it('refuses payloads that are not the catalog shape, before Redis sees them', async () => {
    const before = await inspector.dbsize();
    await expect(
      // @ts-expect-error — a token must never be part of a job payload
      queues.enqueue('exchange', { linkSessionId: connectionId, code: 'secret-code' }),
    ).rejects.toThrow();
    await expect(queues.enqueue('exchange', { linkSessionId: 'not-a-uuid' })).rejects.toThrow();
    expect(await inspector.dbsize()).toBe(before);
  });

  it('runs handlers with validated payloads and retries with the catalog backoff', async () => {
    const seen: { eventId: string; attempt: number }[] = [];
    const handlers: Pick<JobHandlers, 'notify'> = {
      notify: async (payload, job) => {
        seen.push({ eventId: payload.eventId, attempt: job.attemptsMade });
        if (job.attemptsMade === 0) {
          throw Object.assign(new Error('receiver down'), { retryAfterMs: 300 });
        }
        return 'delivered';
      },
    };
    const [worker] = startWorkers(handlers, {
      connection: { url: testRedisUrl(), maxRetriesPerRequest: null },
      prefix,
      queues: ['notify'],
    });
    const events = await queues.events('notify');
    const started = Date.now();
    const job = await queues.enqueue('notify', { eventId: connectionId });
    await expect(job.waitUntilFinished(events, 10_000)).resolves.toBe('delivered');
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

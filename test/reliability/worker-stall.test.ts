import { newConnectionId } from '@tokenlane/core';
import { reauthJob } from '@tokenlane/lifecycle';
import { startWorkerPool, type WorkerPool } from '@tokenlane/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestRuntime } from '../support/runtime.js';

/**
 * A worker that takes no job while its queue's jobs wait is replaced. The stalled worker here
 * is a real BullMQ worker paused in place: to the pool it looks like the wedged ones seen after
 * a Redis Cluster failover (running, connected, taking nothing).
 */
let opened: Awaited<ReturnType<typeof openTestRuntime>>;
let pool: WorkerPool;

beforeAll(async () => {
  opened = await openTestRuntime({ label: 'worker-stall', providers: {} });
  pool = await startWorkerPool(opened.runtime, { stallCheckMs: 300 });
}, 60_000);

afterAll(async () => {
  await pool.close(5_000);
  await opened.dispose();
});

describe('a worker that takes no job while jobs wait', () => {
  it('is replaced by a new one, which runs the waiting job', async () => {
    const rt = opened.runtime;
    const stalled = pool.workers.find((worker) => worker.name === 'reauth')!;
    await stalled.pause(true);
    // A fetch already in flight when it paused may still take one job: the second waits.
    const jobs = await Promise.all(
      [0, 1].map(() =>
        rt.queues.enqueue(reauthJob, { connectionId: newConnectionId(), tokenVersion: 0 }),
      ),
    );
    // Three checks 300 ms apart find a job waiting and the worker idle; the new worker takes it.
    await vi.waitFor(
      async () => {
        const states = await Promise.all(jobs.map((job) => job.getState()));
        expect(states).toEqual(['completed', 'completed']);
      },
      { timeout: 10_000, interval: 100 },
    );
    const job = jobs[1]!;
    const done = await rt.queues.queue('reauth').getJob(job.id!);
    expect(done?.returnvalue).toEqual({ status: 'not_found' });
    expect(pool.workers.find((worker) => worker.name === 'reauth')).not.toBe(stalled);
    expect(stalled.isPaused()).toBe(true);
    const metrics = await rt.metrics.text();
    expect(metrics).toContain('tokenlane_worker_restarts_total{queue="reauth"} 1');
    expect(
      opened.logs.filter((line) => line.includes('worker took no job while jobs waited')),
    ).toHaveLength(1);
  }, 20_000);

  it('leaves busy and idle workers alone', async () => {
    const rt = opened.runtime;
    const before = [...pool.workers];
    const jobs = await Promise.all(
      Array.from({ length: 20 }, () =>
        rt.queues.enqueue(reauthJob, { connectionId: newConnectionId(), tokenVersion: 0 }),
      ),
    );
    await vi.waitFor(
      async () => {
        const states = await Promise.all(jobs.map((job) => job.getState()));
        expect(states.every((state) => state === 'completed')).toBe(true);
      },
      { timeout: 10_000, interval: 100 },
    );
    // Several checks later, nobody was replaced.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(pool.workers.every((worker, i) => worker === before[i])).toBe(true);
    const metrics = await rt.metrics.text();
    expect(metrics).toContain('tokenlane_worker_restarts_total{queue="reauth"} 1');
    expect(metrics).not.toMatch(/tokenlane_worker_restarts_total\{queue="(?!reauth)/);
  }, 20_000);
});

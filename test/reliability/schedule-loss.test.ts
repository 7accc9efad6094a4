import type { ConnectionId } from '@tokenlane/core';
import type { Runtime } from '@tokenlane/runtime';
import { assertSchedule, recordRun, scheduleFault, schedulesOf } from '@tokenlane/worker';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReceiver, type Receiver } from '../events/receiver.js';
import { WEBHOOK_SECRET } from '../events/support.js';
import { linkConcurrently } from '../support/bursts.js';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { openTestRuntime, type TestRuntime } from '../support/runtime.js';

describe('scheduleFault: what a lost schedule looks like from Redis', () => {
  let opened: TestRuntime;
  let rt: Runtime;

  beforeAll(async () => {
    // No worker runs here: the schedule only ever moves when the test moves it.
    opened = await openTestRuntime({
      label: 'schedule-fault',
      env: { TOKENLANE_SWEEP_INTERVAL_MS: '60000' },
    });
    rt = opened.runtime;
  });

  afterAll(async () => {
    await opened.dispose();
  });

  it('tells a healthy schedule from one missing, one without its next run, and one stale', async () => {
    const sweep = schedulesOf(rt).find((schedule) => schedule.job === 'sweep')!;
    expect(sweep.everyMs).toBe(60_000);
    const queue = rt.queues.queue('sweep');
    expect(await scheduleFault(rt, sweep, Date.now())).toBe('missing');

    await assertSchedule(rt, sweep);
    await recordRun(rt, 'sweep');
    expect(await scheduleFault(rt, sweep, Date.now())).toBeUndefined();
    // Three intervals and more without a run: the delayed next run never came due.
    expect(await scheduleFault(rt, sweep, Date.now() + 4 * 60_000)).toBe('stale');

    // What an asynchronous replica loses in a failover: the run written just before it.
    // BullMQ refuses to remove a scheduler's job, which is the point: only a lost write does it.
    const scheduler = await queue.getJobScheduler('sweep');
    const jobId = `repeat:sweep:${scheduler!.next}`;
    const prefix = rt.config.queuePrefix;
    await rt.redis.zrem(`${prefix}:sweep:delayed`, jobId);
    await rt.redis.lrem(`${prefix}:sweep:wait`, 0, jobId);
    await rt.redis.del(`${prefix}:sweep:${jobId}`);
    expect(await scheduleFault(rt, sweep, Date.now())).toBe('no_next_run');

    // Asserting it again brings the next run back, once.
    await assertSchedule(rt, sweep);
    await assertSchedule(rt, sweep);
    expect(await scheduleFault(rt, sweep, Date.now())).toBeUndefined();
    const counts = await queue.getJobCounts('wait', 'delayed');
    expect((counts.wait ?? 0) + (counts.delayed ?? 0)).toBe(1);
  });
});

const SWEEP_INTERVAL_MS = 1_000;
/** How long a refresh lease outlives its lost holder here. */
const LEASE_MS = 5_000;
/** The worker's schedule watch (services/worker/src/schedule-watch.ts). */
const WATCH_MS = 5_000;

describe('recurring work lost from Redis comes back on its own', () => {
  let receiver: Receiver;
  let oidc: OidcStack;

  beforeAll(async () => {
    receiver = await startReceiver(WEBHOOK_SECRET);
    oidc = await startOidcStack({
      clientId: 'schedule-loss',
      env: {
        TOKENLANE_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
        TOKENLANE_REFRESH_LEASE_MS: String(LEASE_MS),
        TOKENLANE_WEBHOOK_URL: receiver.url,
        TOKENLANE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    });
  }, 90_000);

  afterAll(async () => {
    await oidc.close();
    await receiver.close();
  });

  it('every due connection refreshes and every new event arrives after the schedules and jobs are wiped', async () => {
    const ids = await linkConcurrently(oidc, 'lost', 6);
    const { stack } = oidc;
    const queue = (name: string) =>
      new Queue(name, { connection: stack.redis.duplicate(), prefix: stack.prefix });
    const sweep = queue('sweep');
    const outbox = queue('outbox');
    const refresh = queue('refresh');
    try {
      await vi.waitFor(
        async () => {
          expect(await sweep.getJobScheduler('sweep')).toBeDefined();
        },
        {
          timeout: 10_000,
        },
      );
      // The failover that lost the next run of every schedule, and every queued refresh.
      await sweep.removeJobScheduler('sweep');
      await outbox.removeJobScheduler('outbox');
      await refresh.drain(true);
      const versions = new Map((await oidc.rows(ids)).map((r) => [r.id, r.token_version]));
      const lostAt = Date.now();
      await oidc.makeDue(ids);

      // Nothing in Redis would ever refresh them now; the watch re-derives it from Postgres.
      const refreshedAt = await refreshedAfter(oidc, ids, versions, lostAt, 200);
      const slowest = Math.max(...refreshedAt.values());
      // One watch period to notice, one sweep interval to run, and slack for a loaded machine.
      expect(slowest).toBeLessThan(WATCH_MS + SWEEP_INTERVAL_MS + 8_000);

      // An event written after the loss reaches the backend: the outbox schedule is back too.
      const linked = await oidc.link('after-the-loss');
      await vi.waitFor(
        async () => {
          const created = receiver.received.filter((r) => r.body.includes(linked));
          expect(created.length).toBeGreaterThan(0);
        },
        { timeout: 20_000, interval: 200 },
      );

      const worker = stack.services.find((service) => service.name === 'worker')!;
      const metrics = parsePrometheusText(await (await fetch(worker.metricsUrl)).text());
      expect(sampleValue(metrics, 'tokenlane_schedule_repairs_total', { job: 'sweep' })).toBe(1);
      expect(sampleValue(metrics, 'tokenlane_schedule_repairs_total', { job: 'outbox' })).toBe(1);
      const lastSweep = sampleValue(metrics, 'tokenlane_schedule_last_run_timestamp_seconds', {
        job: 'sweep',
      });
      expect(Date.now() / 1000 - lastSweep).toBeLessThan(10);
      expect(sampleValue(metrics, 'tokenlane_refresh_lag_seconds', {})).toBeDefined();
      expect(stack.logs().some((line) => line.includes('had lost its schedule'))).toBe(true);
      console.log(
        `schedules and refresh jobs wiped: all ${ids.length} due connections refreshed within ${slowest} ms`,
      );
    } finally {
      await Promise.all([sweep.close(), outbox.close(), refresh.close()]);
    }
  }, 120_000);

  it('a batch lost from Redis after the sweep claimed its rows costs them one lease, then one refresh each', async () => {
    const ids = await linkConcurrently(oidc, 'claimed', 6);
    const { stack } = oidc;
    const batches = new Queue('refresh-batch', {
      connection: stack.redis.duplicate(),
      prefix: stack.prefix,
    });
    try {
      const versions = new Map((await oidc.rows(ids)).map((r) => [r.id, r.token_version]));
      // Due in 1.5 s: inside the sweep's look-ahead, so it claims them and a batch waits.
      const dueAt = Date.now() + 1_500;
      await stack.db.db
        .updateTable('connections')
        .set({ refresh_due_at: new Date(dueAt) })
        .where('id', 'in', ids)
        .execute();
      await vi.waitFor(
        async () => {
          const claimed = await stack.db.db
            .selectFrom('connections')
            .select('refresh_lease_owner')
            .where('id', 'in', ids)
            .where('refresh_lease_owner', 'is not', null)
            .execute();
          expect(claimed).toHaveLength(ids.length);
        },
        { timeout: 5_000, interval: 50 },
      );
      // The failover that lost the batch before it ran: nothing in Redis holds these rows now.
      await batches.drain(true);
      expect(Date.now()).toBeLessThan(dueAt);
      const refreshedAt = await refreshedAfter(oidc, ids, versions, dueAt, 100);
      const late = [...refreshedAt.values()];
      // Not before the claim lapsed (due time + one lease): nobody else took a claimed row...
      expect(Math.min(...late)).toBeGreaterThanOrEqual(LEASE_MS - 200);
      // ...and then at the next sweeps, with slack for a loaded machine.
      expect(Math.max(...late)).toBeLessThan(LEASE_MS + 2 * SWEEP_INTERVAL_MS + 6_000);
      // One refresh each: rotation is on, and a second one would have ended in reauth_required.
      const after = await oidc.rows(ids);
      expect(after.map((row) => row.token_version - versions.get(row.id)!)).toEqual(
        ids.map(() => 1),
      );
      expect(after.every((row) => row.status === 'active')).toBe(true);
      console.log(
        `a lost batch of ${ids.length}: refreshed ${Math.min(...late)}-${Math.max(...late)} ms after their due time (lease ${LEASE_MS} ms)`,
      );
    } finally {
      await batches.close();
    }
  }, 60_000);
});

/**
 * Waits until every row's token version moved past `versions`, polling every `intervalMs`;
 * returns when each was first seen refreshed, in ms after `from`.
 */
async function refreshedAfter(
  oidc: OidcStack,
  ids: readonly ConnectionId[],
  versions: ReadonlyMap<ConnectionId, number>,
  from: number,
  intervalMs: number,
): Promise<Map<ConnectionId, number>> {
  const refreshedAt = new Map<ConnectionId, number>();
  await vi.waitFor(
    async () => {
      for (const row of await oidc.rows(ids)) {
        if (row.token_version > versions.get(row.id)! && !refreshedAt.has(row.id)) {
          refreshedAt.set(row.id, Date.now() - from);
        }
      }
      expect(refreshedAt.size).toBe(ids.length);
    },
    { timeout: 30_000, interval: intervalMs },
  );
  return refreshedAt;
}

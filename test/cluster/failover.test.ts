import { openTokens } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  dueWithWaveInFlight,
  linkConcurrently,
  refreshRequestsByConnection,
  refreshTokenOwners,
  unfinishedJobs,
} from '../support/bursts.js';
import { activeAtPeer } from '../support/oidc-stack.js';
import { CLUSTER_NODE_TIMEOUT_MS } from '../support/redis-cluster.js';
import { startReceiver, type Receiver } from '../events/receiver.js';
import { WEBHOOK_SECRET } from '../events/support.js';
import { startClusterWorld, statusTally, type ClusterWorld } from './support.js';

/** Connections refreshing when the master goes down. */
const BURST = 200;
const SWEEP_INTERVAL_MS = 300;
/** The workers' schedule watch period (services/worker/src/schedule-watch.ts). */
const SCHEDULE_WATCH_MS = 5_000;

let world: ClusterWorld;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver(WEBHOOK_SECRET);
  world = await startClusterWorld({
    clientId: 'failover',
    proxy: true,
    env: {
      TOKENLANE_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
      TOKENLANE_WEBHOOK_URL: receiver.url,
      TOKENLANE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  });
  // Two workers, as in production: both lose the master and must find its successor.
  await world.oidc.stack.startWorker();
}, 120_000);

afterAll(async () => {
  await world.close();
  await receiver.close();
});

/** Milliseconds since `from`, once `check` first holds (polled every 50 ms). */
async function timeUntil(from: number, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not recovered within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - from;
}

describe('a Redis Cluster master killed (SIGKILL) during a refresh burst', () => {
  it(`its replica takes over, tokenlane reconnects by itself, and all ${BURST} connections end active or precisely reported`, async () => {
    const { oidc, cluster } = world;
    const ids = await linkConcurrently(oidc, 'failover', BURST, 16);
    const probe = await oidc.link('failover-probe');
    const owners = await refreshTokenOwners(oidc, [...ids, probe]);
    const before = new Map((await oidc.rows(ids)).map((row) => [row.id, row.token_version]));
    const probeBefore = (await oidc.row(probe)).tokenVersion;
    // Every key tokenlane writes carries the prefix's hash tag: this master holds them all.
    const master = await cluster.masterOf(`${oidc.stack.prefix}:refresh:meta`);
    const proxy = oidc.proxy!;
    const start = await dueWithWaveInFlight(oidc, ids);
    const settledAtKill = (await oidc.rows(ids)).filter(
      (row) => row.token_version > before.get(row.id)!,
    ).length;
    await cluster.kill(master.port, 'SIGKILL');
    const killedAt = Date.now();
    proxy.setMode({ kind: 'pass' });

    // Recovery, each from the kill and watched side by side: the cluster promotes the
    // replica (after cluster-node-timeout), the ingress enqueues again, every connection is
    // settled. `progress` counts the settled connections each second after the kill.
    const progress: number[] = [];
    const [promotedMs, ingressMs, settledMs] = await Promise.all([
      timeUntil(
        killedAt,
        async () => (await cluster.masterOf(`${oidc.stack.prefix}:refresh:meta`)).alive(),
        30_000,
      ),
      timeUntil(
        killedAt,
        async () =>
          (await oidc.stack.api('POST', `/v1/connections/${probe}/refresh`)).status === 202,
        60_000,
      ),
      timeUntil(
        killedAt,
        async () => {
          const settled = (await oidc.rows(ids)).filter(
            (row) => row.token_version > before.get(row.id)! || row.status === 'reauth_required',
          ).length;
          progress[Math.floor((Date.now() - killedAt) / 1000)] = settled;
          return settled === ids.length;
        },
        150_000,
      ),
    ]);
    await vi.waitFor(
      async () => {
        expect(await unfinishedJobs(world.queues, ['refresh', 'reauth'])).toBe(0);
      },
      { timeout: 30_000, interval: 250 },
    );
    const failedJobs = await world.queues.queue('refresh').getJobCounts('failed');

    const after = await oidc.rows(ids);
    const requests = refreshRequestsByConnection(proxy.requests.slice(start), owners);
    const lost = after.filter((row) => row.status === 'reauth_required');
    for (const row of lost) {
      // The one way to lose a connection here: its refresh reached the provider (which
      // rotated the token), but the answer was not stored; the retry with the spent token
      // was refused and is reported as an interrupted refresh, not a plain invalid_grant.
      expect(row.last_error_code).toBe('refresh_interrupted');
      expect(requests.get(row.id)!.filter((r) => r.status === 200)).toHaveLength(1);
    }
    const active = after.filter((row) => row.status !== 'reauth_required');
    for (const row of active) {
      expect(row).toMatchObject({
        status: 'active',
        last_error_code: null,
        token_version: before.get(row.id)! + 1,
      });
      expect(requests.get(row.id)!.filter((r) => r.status === 200)).toHaveLength(1);
    }
    // The stored tokens of the active ones work at the provider.
    const working = await Promise.all(
      active.map(async (row) => {
        const tokens = openTokens(oidc.stack.keyRing, await oidc.row(row.id));
        return activeAtPeer(oidc, tokens.accessToken!.reveal());
      }),
    );
    expect(working.filter((ok) => !ok)).toHaveLength(0);
    // The probe's refresh, asked for after the failover, went through end to end.
    await vi.waitFor(
      async () => {
        expect((await oidc.row(probe)).tokenVersion).toBe(probeBefore + 1);
      },
      { timeout: 20_000, interval: 200 },
    );
    // Every queue's workers came back, not only the busy refresh ones: a new link (exchange)
    // completes and its revocation (revoke) goes through.
    const linkedAfter = await oidc.link('failover-after');
    const revoked = await oidc.stack.api('DELETE', `/v1/connections/${linkedAfter}`);
    expect(revoked.status).toBe(202);
    await vi.waitFor(
      async () => {
        expect((await oidc.row(linkedAfter)).status).toBe('revoked');
      },
      { timeout: 20_000, interval: 200 },
    );
    // Recurring work survived: made due again, every active connection refreshes once more
    // within a sweep interval, plus the schedule watch's period should the failover have lost
    // the sweep's next run, plus slack for a loaded machine.
    const dueAgainAt = Date.now();
    const versions = new Map((await oidc.rows(ids)).map((row) => [row.id, row.token_version]));
    await oidc.makeDue(active.map((row) => row.id));
    const behindMs = await timeUntil(
      dueAgainAt,
      async () =>
        (await oidc.rows(active.map((row) => row.id))).every(
          (row) => row.token_version > versions.get(row.id)!,
        ),
      60_000,
    );
    expect(behindMs).toBeLessThan(SWEEP_INTERVAL_MS + SCHEDULE_WATCH_MS + 10_000);
    // An event written after the failover reaches the backend (the outbox schedule lives).
    await vi.waitFor(
      () => {
        expect(receiver.received.some((r) => r.body.includes(linkedAfter))).toBe(true);
      },
      { timeout: 30_000, interval: 250 },
    );
    for (const service of oidc.stack.services) {
      expect(service.child.exitCode).toBeNull();
    }
    // Every error went through the logger: nothing printed raw (a stack trace, a secret).
    expect(oidc.stack.logs().filter((line) => !line.startsWith('{'))).toEqual([]);
    console.log(
      `cluster failover (${BURST} connections, cluster-node-timeout ${CLUSTER_NODE_TIMEOUT_MS} ms, ` +
        `master ${master.port} killed with ${settledAtKill} refreshed and the rest queued or in flight): ` +
        `replica promoted after ${promotedMs} ms, ingress enqueuing again after ${ingressMs} ms, ` +
        `all connections settled after ${settledMs} ms; statuses ${JSON.stringify(await statusTally(oidc, ids))}; ` +
        `failed refresh jobs ${failedJobs.failed}; settled per second after the kill ${progress.join(',')}; ` +
        `made due again after the failover, all ${active.length} active refreshed within ${behindMs} ms; ` +
        `events after the failover delivered`,
    );
  }, 300_000);
});

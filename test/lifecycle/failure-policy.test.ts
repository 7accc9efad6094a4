import type { ConnectionId, EventType } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { openTokens } from '@tokenlane/lifecycle';
import { reauthJob } from '@tokenlane/lifecycle';
import { JobQueues } from '@tokenlane/queue';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../peers/scripted-provider.js';
import { RETURN_URL, startStack, type Stack } from '../support/stack.js';
import { linkAsUser } from '../support/link-browser.js';

/**
 * The failure policy through the real worker, counted at the provider: how many token requests
 * does each refusal cost within 75 s of the first one, and where does the connection end?
 * (docs/reliability.md, "Failure policy", holds these numbers.)
 */
const WINDOW_MS = 75_000;

interface World {
  readonly stack: Stack;
  readonly peer: ScriptedProvider;
}

async function startWorld(providerIds: readonly string[], env: Record<string, string> = {}) {
  const peer = await startScriptedProvider();
  const stack = await startStack({
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '1000', ...env },
    providers: () => Object.fromEntries(providerIds.map((id) => [id, peer.entry()])),
  });
  return { stack, peer };
}

/** Links `user` at `provider` through the API, the peer's instant consent and the callback. */
async function link({ stack }: World, provider: string, user: string): Promise<ConnectionId> {
  const back = await linkAsUser(stack, { userId: user, provider, returnUrl: RETURN_URL }, user);
  expect(back.searchParams.get('status')).toBe('success');
  return back.searchParams.get('connectionId') as ConnectionId;
}

const row = async ({ stack }: World, id: ConnectionId) => (await findConnection(stack.db.db, id))!;

/**
 * Tokens issued 60 s ago with 20 s left, so a caller asking 40 s of validity needs a refresh
 * (the margin is capped at half the lifetime), and due `dueInMs` from now.
 */
async function needRefreshForCallers({ stack }: World, ids: ConnectionId[], dueInMs: number) {
  const now = Date.now();
  await stack.db.db
    .updateTable('connections')
    .set({
      last_refreshed_at: new Date(now - 60_000),
      expires_at: new Date(now + 20_000),
      refresh_due_at: new Date(now + dueInMs),
    })
    .where('id', 'in', ids)
    .execute();
}

const eventsOf = ({ stack }: World, type: EventType) =>
  stack.db.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('seq').execute();

describe('every refusal ends: requests per connection within 75 s of the first refusal', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(['rotated', 'retired', 'down']);
  }, 90_000);
  afterAll(async () => {
    await world.stack.stop();
    await world.peer.close();
  });

  it('invalid_client pauses the provider, 410 retires the connection, 503 backs off', async () => {
    const ids = {
      rotated: await link(world, 'rotated', 'u-rotated'),
      retired: await link(world, 'retired', 'u-retired'),
      down: await link(world, 'down', 'u-down'),
    };
    world.peer.script('u-rotated', 'invalid_client');
    world.peer.script('u-retired', 'gone');
    world.peer.script('u-down', 'unavailable');
    // The 20 s tokens come due after about 16 s; wait for each first refusal, then 75 s more.
    await vi.waitFor(
      () => {
        for (const user of ['u-rotated', 'u-retired', 'u-down']) {
          expect(world.peer.refreshes(user).length).toBeGreaterThan(0);
        }
      },
      { timeout: 40_000, interval: 250 },
    );
    const firsts = ['u-rotated', 'u-retired', 'u-down'].map((u) => world.peer.refreshes(u)[0]!);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(...firsts) + WINDOW_MS - Date.now()),
    );
    const within = (user: string) => {
      const [first] = world.peer.refreshes(user);
      return world.peer.refreshes(user).filter((at) => at - first! <= WINDOW_MS).length;
    };

    // Our credentials refused: the one request, then one probe a minute later.
    expect(within('u-rotated')).toBeGreaterThanOrEqual(1);
    expect(within('u-rotated')).toBeLessThanOrEqual(5);
    expect(await row(world, ids.rotated)).toMatchObject({
      status: 'active',
      refreshAttempts: 0,
      lastErrorCode: 'invalid_client',
    });
    const unhealthy = await eventsOf(world, 'provider.unhealthy');
    expect(unhealthy).toHaveLength(1);
    expect(unhealthy[0]).toMatchObject({
      connection_id: null,
      provider: 'rotated',
      data: { provider: 'rotated', code: 'invalid_client' },
    });
    // Its token expired meanwhile: the token API says the provider is paused, and when to retry.
    const paused = await world.stack.api('GET', `/v1/connections/${ids.rotated}/token`);
    expect(paused.status).toBe(503);
    expect(paused.body).toMatchObject({ error: { code: 'provider_unhealthy' } });
    expect(Number(paused.headers.get('retry-after'))).toBeGreaterThan(0);
    const metrics = await fetch(`${world.stack.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('tokenlane_provider_healthy{provider="rotated"} 0');
    expect(metrics).toContain('tokenlane_provider_healthy{provider="down"} 1');
    expect(
      world.stack.logs().filter((line) => line.includes('refused our client credentials')),
    ).toHaveLength(1);

    // Retired: one request, then reauth_required / provider_retired for good.
    expect(within('u-retired')).toBe(1);
    expect(await row(world, ids.retired)).toMatchObject({
      status: 'reauth_required',
      lastErrorCode: 'provider_retired',
      refreshDueAt: null,
    });

    // Down: a backoff that persists and grows: a handful of requests, then degraded.
    expect(within('u-down')).toBeGreaterThanOrEqual(2);
    expect(within('u-down')).toBeLessThanOrEqual(5);
    const down = await row(world, ids.down);
    expect(down).toMatchObject({ status: 'degraded', lastErrorCode: 'provider_unavailable' });
    expect(down.refreshAttempts).toBe(world.peer.refreshes('u-down').length);
    expect(down.refreshDueAt!.getTime()).toBeGreaterThan(Date.now());

    // A 401 report while backing off ends at once: the attempt already due replaces the token.
    // (The next attempt is moved a minute out, so it cannot land inside this check.)
    await world.stack.db.db
      .updateTable('connections')
      .set({ refresh_due_at: new Date(Date.now() + 60_000) })
      .where('id', '=', ids.down)
      .execute();
    const sent = world.peer.refreshes('u-down').length;
    const stored = openTokens(world.stack.keyRing, down).accessToken!.reveal();
    const report = await world.stack.api('POST', `/v1/connections/${ids.down}/unauthorized`, {
      accessToken: stored,
    });
    expect(report.body).toMatchObject({ status: 'accepted' });
    const queues = new JobQueues(world.stack.redis, world.stack.prefix);
    try {
      const jobId = reauthJob.jobId({ connectionId: ids.down, tokenVersion: down.tokenVersion });
      await vi.waitFor(
        async () => {
          const job = await queues.queue('reauth').getJob(jobId);
          expect(await job?.getState()).toBe('completed');
          expect(job?.returnvalue).toEqual({ status: 'skipped', reason: 'backing_off' });
        },
        { timeout: 5_000, interval: 100 },
      );
    } finally {
      await queues.close();
    }
    expect(world.peer.refreshes('u-down').length).toBe(sent);

    // A re-link starts a new grant: the run of failures and its backoff end with the old one.
    const relinked = await linkAsUser(
      world.stack,
      { userId: 'u-down', provider: 'down', returnUrl: RETURN_URL, connectionId: ids.down },
      'u-down',
    );
    expect(relinked.searchParams.get('status')).toBe('success');
    expect(await row(world, ids.down)).toMatchObject({
      status: 'active',
      refreshAttempts: 0,
      lastErrorCode: null,
      failingSince: null,
    });
  }, 150_000);
});

describe('a paused provider recovers, and callers inside the look-ahead get fresh tokens', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(['flaky', 'steady', 'bound'], {
      TOKENLANE_PROVIDER_PROBE_SECONDS: '2',
      // A 10 s look-ahead: the sweeper's jobs wait in Redis well before they are due.
      TOKENLANE_SWEEP_INTERVAL_MS: '5000',
    });
  }, 90_000);
  afterAll(async () => {
    await world.stack.stop();
    await world.peer.close();
  });

  it('probes at growing intervals, then closes on success and refreshes again', async () => {
    const id = await link(world, 'flaky', 'u-flaky');
    const before = await row(world, id);
    world.peer.script('u-flaky', 'invalid_client');
    await world.stack.api('POST', `/v1/connections/${id}/refresh`);
    await vi.waitFor(
      async () => {
        expect(await eventsOf(world, 'provider.unhealthy')).toHaveLength(1);
      },
      {
        timeout: 10_000,
      },
    );
    // Probes 2 s, then 4 s apart: growing, one at a time.
    await vi.waitFor(
      () => {
        expect(world.peer.refreshes('u-flaky').length).toBeGreaterThanOrEqual(3);
      },
      {
        timeout: 20_000,
      },
    );
    const [a, b, c] = world.peer.refreshes('u-flaky');
    expect(c! - b!).toBeGreaterThan(b! - a!);
    world.peer.script('u-flaky', 'ok');
    await vi.waitFor(
      async () => {
        expect((await row(world, id)).tokenVersion).toBe(before.tokenVersion + 1);
      },
      {
        timeout: 20_000,
        interval: 250,
      },
    );
    const recovered = await eventsOf(world, 'provider.recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ connection_id: null, data: { provider: 'flaky' } });
  }, 60_000);

  it('50 callers needing a refresh while the sweep’s batch waits get a fresh token at once', async () => {
    const ids = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => link(world, 'steady', `u-steady-${i}`)),
    );
    const { stack } = world;
    // Each token needs a refresh for a caller asking 40 s of validity, while the sweep's
    // batch for it already waits in the look-ahead, due in 8 s.
    await needRefreshForCallers(world, ids, 8_000);
    // The sweep has claimed them: their batch waits in the look-ahead.
    await vi.waitFor(
      async () => {
        const leases = await stack.db.db
          .selectFrom('connections')
          .select(['refresh_lease_owner', 'refresh_lease_started'])
          .where('id', 'in', ids)
          .execute();
        expect(leases).toHaveLength(5);
        for (const lease of leases) {
          expect(lease.refresh_lease_owner).toMatch(/^[0-9a-f-]{36}$/);
          expect(lease.refresh_lease_started).toBe(false);
        }
      },
      { timeout: 10_000, interval: 100 },
    );
    const versions = await Promise.all(ids.map(async (id) => (await row(world, id)).tokenVersion));
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        stack.api('GET', `/v1/connections/${ids[i % 5]!}/token?minValidity=40`),
      ),
    );
    const elapsed = Date.now() - started;
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 50 }, () => 200));
    // The callers' refresh takes the lease from the batch that has not started: they do not
    // wait for its due time (8 s), nor for the 10 s limit.
    expect(elapsed).toBeLessThan(5_000);
    const after = await Promise.all(ids.map(async (id) => (await row(world, id)).tokenVersion));
    // One refresh per connection, however many callers.
    expect(after).toEqual(versions.map((version) => version + 1));
    // The batch runs at the due time and finds none of its rows its own any more.
    await new Promise((resolve) => setTimeout(resolve, 9_000));
    const later = await Promise.all(ids.map(async (id) => (await row(world, id)).tokenVersion));
    expect(later).toEqual(after);
  }, 60_000);
  it('a caller asking while the batch’s refresh is in flight joins it: the provider sees one request', async () => {
    const id = await link(world, 'steady', 'u-racing');
    world.peer.script('u-racing', 'slow');
    const { stack } = world;
    const before = (await row(world, id)).tokenVersion;
    // Due now: the next sweep claims it and its batch calls the provider, which takes 2 s.
    await needRefreshForCallers(world, [id], 0);
    await vi.waitFor(
      () => {
        expect(world.peer.refreshes('u-racing')).toHaveLength(1);
      },
      { timeout: 10_000, interval: 50 },
    );
    const lease = await stack.db.db
      .selectFrom('connections')
      .select(['refresh_lease_owner', 'refresh_lease_started'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(lease).toMatchObject({ refresh_lease_started: true });
    expect(lease.refresh_lease_owner).toMatch(/^[0-9a-f-]{36}$/);
    // The caller needs more validity than is left, so it asks for a refresh of its own.
    const answer = await stack.api('GET', `/v1/connections/${id}/token?minValidity=40`);
    expect(answer.status).toBe(200);
    expect((await row(world, id)).tokenVersion).toBe(before + 1);
    world.peer.script('u-racing', 'ok');
    // Nothing else follows: the caller's own job found the lease in flight and sent nothing.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(world.peer.refreshes('u-racing')).toHaveLength(1);
    expect(await row(world, id)).toMatchObject({ tokenVersion: before + 1, status: 'active' });
  }, 60_000);
  it('a connection refused for our credentials again, outside a probe, backs off on its own', async () => {
    const id = await link(world, 'bound', 'u-bound');
    // Its grant was issued to another client: the provider refuses it, and only it, with
    // invalid_client. Its first refusal opened the breaker and noted the code; another
    // connection's probe has closed the breaker since (so the next call is not a probe).
    world.peer.script('u-bound', 'invalid_client');
    await world.stack.db.db
      .updateTable('connections')
      .set({ last_error_code: 'invalid_client', last_error_at: new Date() })
      .where('id', '=', id)
      .execute();
    const unhealthyBefore = (await eventsOf(world, 'provider.unhealthy')).length;
    await world.stack.api('POST', `/v1/connections/${id}/refresh`);
    await vi.waitFor(
      async () => {
        expect(await row(world, id)).toMatchObject({
          status: 'active',
          refreshAttempts: 1,
          lastErrorCode: 'invalid_client',
        });
      },
      { timeout: 10_000, interval: 100 },
    );
    const after = await row(world, id);
    expect(after.failingSince).not.toBeNull();
    expect(after.refreshDueAt!.getTime()).toBeGreaterThan(Date.now());
    // The provider is not paused again: one request, no provider.unhealthy, still healthy.
    expect(world.peer.refreshes('u-bound')).toHaveLength(1);
    expect(await eventsOf(world, 'provider.unhealthy')).toHaveLength(unhealthyBefore);
    const metrics = await fetch(`${world.stack.url}/metrics`).then((r) => r.text());
    expect(metrics).not.toContain('tokenlane_provider_healthy{provider="bound"} 0');
    const failed = await eventsOf(world, 'connection.refresh_failed');
    expect(failed.filter((event) => event.connection_id === id)).toHaveLength(1);
  }, 60_000);
});

import type { ConnectionId } from '@tokenlane/core';
import { findConnections } from '@tokenlane/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGarminPeer, type GarminPeer } from '../peers/garmin-peer.js';
import { startStack, type Stack } from '../support/stack.js';
import {
  eventsOf,
  expectCountsAddUp,
  itemOf,
  seedOAuth1Connection,
  waitForMigration,
  type MigrationBody,
} from './support.js';

const CONNECTIONS = 50;
/** Migrate jobs one worker process runs at once (services/worker/src/worker.ts). */
const MIGRATE_CONCURRENCY = 20;

async function seedMany(stack: Stack, peer: GarminPeer, label: string) {
  const ids: ConnectionId[] = [];
  for (let i = 0; i < CONNECTIONS; i += 1) {
    const garminUser = `garmin-${label}-${i}`;
    const grant = peer.grantOAuth1(garminUser);
    ids.push(
      await seedOAuth1Connection(stack, {
        userId: `${label}-${i}`,
        providerUserId: garminUser,
        token: grant.token,
        secret: grant.secret,
      }),
    );
  }
  return ids;
}

async function start(stack: Stack, connectionIds: readonly ConnectionId[]): Promise<string> {
  const started = await stack.api('POST', '/v1/migrations', {
    from: 'garmin',
    to: 'garmin-oauth2',
    connectionIds,
  });
  expect(started.status).toBe(202);
  return (started.body as MigrationBody).id;
}

const pausedEvents = async (stack: Stack, migrationId: string) =>
  (await eventsOf(stack, 'migration.paused')).filter((e) => e.data.migrationId === migrationId);

describe('a Garmin migration with a wrong consumer secret', () => {
  let peer: GarminPeer;
  let stack: Stack;

  beforeAll(async () => {
    peer = await startGarminPeer();
    stack = await startStack({
      providers: () => {
        const entries = peer.entries();
        // A typo in the providers file: every signature we make is wrong.
        return {
          ...entries,
          garmin: { ...entries.garmin, clientSecret: 'not-the-consumer-secret' },
        };
      },
    });
  }, 90_000);

  afterAll(async () => {
    await stack.stop();
    await peer.close();
  });

  it('answered by a bare 401, pauses itself as `credentials` and leaves all 50 users active', async () => {
    const ids = await seedMany(stack, peer, 'typo');
    // Garmin publishes no error bodies: the exchange says nothing but 401, as for a dead token.
    peer.refuseEveryExchange(true);
    const id = await start(stack, ids);
    const paused = await waitForMigration(stack, id, (v) => v.status === 'paused', 30_000);
    expect(paused.pausedReason).toBe('credentials');
    // Let any job that was in flight settle, then look again: nothing else moved.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const view = (await stack.api('GET', `/v1/migrations/${id}`)).body as MigrationBody;
    expect(view).toMatchObject({ status: 'paused', pausedReason: 'credentials' });
    expect(view.counts).toMatchObject({
      total: CONNECTIONS,
      pending: CONNECTIONS,
      reauthRequired: 0,
    });

    const rows = await findConnections(stack.db.db, ids);
    expect(rows).toHaveLength(CONNECTIONS);
    for (const row of rows) {
      expect(row).toMatchObject({ provider: 'garmin', status: 'active', lastErrorCode: null });
    }
    for (const connectionId of ids.slice(0, 5)) {
      expect(await itemOf(stack, id, connectionId)).toMatchObject({
        outcome: 'pending',
        exchange_started_at: null,
      });
    }
    expect(await eventsOf(stack, 'connection.reauth_required')).toHaveLength(0);
    const events = await pausedEvents(stack, id);
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({
      from: 'garmin',
      to: 'garmin-oauth2',
      reason: 'credentials',
    });

    // The consumer-only control call was refused, so no user's grant was ever questioned, and
    // the exchanges stopped at the jobs already running when the first refusal came back.
    expect(peer.requestTokenCalls()).toBeGreaterThanOrEqual(1);
    expect(peer.oauth1UserIdCalls()).toBe(0);
    expect(peer.exchangeRequests()).toBeLessThanOrEqual(MIGRATE_CONCURRENCY);
    console.log(
      `wrong consumer secret: paused as credentials after ${peer.exchangeRequests()} of ${CONNECTIONS} exchanges, ` +
        `${peer.requestTokenCalls()} control calls, 0 users touched`,
    );
    // The API keeps its word: a second pause is a conflict, the run waits for its operator.
    expect((await stack.api('POST', `/v1/migrations/${id}/pause`)).status).toBe(409);
  }, 60_000);
});

describe('a Garmin migration whose exchanges fail while the users’ tokens still work', () => {
  let peer: GarminPeer;
  let stack: Stack;

  beforeAll(async () => {
    peer = await startGarminPeer();
    stack = await startStack({ providers: () => peer.entries() });
  }, 90_000);

  afterAll(async () => {
    await stack.stop();
    await peer.close();
  });

  it('pauses on the failure rate, never blames a user, and resumes to completion', async () => {
    const ids = await seedMany(stack, peer, 'rate');
    peer.refuseEveryExchange(true);
    const id = await start(stack, ids);
    const paused = await waitForMigration(stack, id, (v) => v.status === 'paused', 30_000);
    expect(paused.pausedReason).toBe('failure_rate');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const held = (await stack.api('GET', `/v1/migrations/${id}`)).body as MigrationBody;
    expectCountsAddUp(held);
    // Each refusal was checked against the user's own token, which still works: the exchange
    // is reported as failed, the user keeps a live connection, and nobody is sent to re-consent.
    expect(held.counts.reauthRequired).toBe(0);
    expect(held.counts.failed).toBeGreaterThanOrEqual(10);
    expect(held.counts.pending).toBeGreaterThan(0);
    expect(peer.oauth1UserIdCalls()).toBe(held.counts.failed);
    const rows = await findConnections(stack.db.db, ids);
    for (const row of rows) expect(row).toMatchObject({ provider: 'garmin', status: 'active' });
    expect(await pausedEvents(stack, id)).toHaveLength(1);
    const sentWhilePaused = peer.exchangeRequests();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(peer.exchangeRequests()).toBe(sentWhilePaused);

    // The provider is fixed; the operator resumes and the rest moves.
    peer.refuseEveryExchange(false);
    const resumed = await stack.api('POST', `/v1/migrations/${id}/resume`);
    expect(resumed.status).toBe(202);
    expect((resumed.body as MigrationBody).status).toBe('running');
    const done = await waitForMigration(stack, id, (v) => v.status === 'completed', 60_000);
    expectCountsAddUp(done);
    expect(done.counts).toMatchObject({
      total: CONNECTIONS,
      pending: 0,
      reauthRequired: 0,
      failed: held.counts.failed,
      migrated: CONNECTIONS - held.counts.failed,
    });
    expect(
      (await eventsOf(stack, 'migration.resumed')).filter((e) => e.data.migrationId === id),
    ).toHaveLength(1);
    expect((await stack.api('POST', `/v1/migrations/${id}/resume`)).status).toBe(409);
  }, 120_000);

  it('an operator pauses a running migration and resumes it; nothing is lost or sent twice', async () => {
    const ids = await seedMany(stack, peer, 'op');
    peer.setExchangeDelay(300);
    const id = await start(stack, ids);
    await waitForMigration(stack, id, (v) => v.counts.migrated >= 5, 30_000);
    const paused = await stack.api('POST', `/v1/migrations/${id}/pause`);
    expect(paused.status).toBe(202);
    expect(paused.body as MigrationBody).toMatchObject({
      status: 'paused',
      pausedReason: 'operator',
    });
    // Jobs already running finish; then nothing more reaches the provider.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const settled = peer.exchangeRequests();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(peer.exchangeRequests()).toBe(settled);
    const held = (await stack.api('GET', `/v1/migrations/${id}`)).body as MigrationBody;
    expect(held.counts.pending).toBeGreaterThan(0);

    expect((await stack.api('POST', `/v1/migrations/${id}/resume`)).status).toBe(202);
    const done = await waitForMigration(stack, id, (v) => v.status === 'completed', 60_000);
    expect(done.counts).toMatchObject({ total: CONNECTIONS, migrated: CONNECTIONS, failed: 0 });
    const rows = await findConnections(stack.db.db, ids);
    for (const row of rows) {
      expect(row).toMatchObject({ provider: 'garmin-oauth2', status: 'active' });
      expect(peer.exchanges(row.providerUserId!)).toBe(1);
    }
    expect((await stack.api('POST', '/v1/migrations/not-a-migration/pause')).status).toBe(404);
    peer.setExchangeDelay(0);
  }, 120_000);
});

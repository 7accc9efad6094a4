import { randomUUID } from 'node:crypto';
import type { ConnectionId } from '@tokenlane/core';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertConnection, updateConnection } from './connections.js';
import {
  claimDueRefreshes,
  extendRefreshLeases,
  releaseRefreshLeases,
  startClaimedRefreshes,
  startOneOffRefresh,
} from './refresh-lease.js';
import { connectionInput, migratedPerSuite, TEST_DIALECTS } from '@tokenlane/test-support';

const LEASE_MS = 30_000;

describe.each(TEST_DIALECTS)('the refresh lease on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'refresh_lease');
  const db = () => handle.db;

  /** `n` connections due a second ago (and nothing else due in this database). */
  async function due(n: number): Promise<ConnectionId[]> {
    const at = new Date(Date.now() - 1_000);
    const rows = [];
    for (let i = 0; i < n; i += 1) {
      rows.push(await insertConnection(db(), connectionInput({ refreshDueAt: at })));
    }
    return rows.map((row) => row.id);
  }
  const claim = (owner: string = randomUUID()) =>
    claimDueRefreshes(db(), { until: new Date(), limit: 100, owner, leaseMs: LEASE_MS });
  const lease = async (id: ConnectionId) =>
    await db()
      .selectFrom('connections')
      .select(['refresh_lease_owner', 'refresh_lease_until', 'refresh_lease_started'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  /** As if the lease's holder died `LEASE_MS` ago. */
  const lapse = (id: ConnectionId) =>
    sql`update connections set refresh_lease_until = now() - interval '1 second'
        where id = ${id}`.execute(db());

  beforeEach(async () => {
    await sql`update connections set refresh_due_at = null`.execute(db());
  });

  it('claims each due row once: a second sweep finds none until the lease lapses', async () => {
    const ids = await due(3);
    const first = await claim('sweep-1');
    expect(first.map((row) => row.id).sort()).toEqual([...ids].sort());
    expect(await claim('sweep-2')).toEqual([]);
    const held = await lease(ids[0]!);
    expect(held.refresh_lease_owner).toBe('sweep-1');
    expect(held.refresh_lease_started).toBe(false);
    // The claim lasts past the row's due time by one lease.
    expect(held.refresh_lease_until!.getTime()).toBeGreaterThan(Date.now() + LEASE_MS - 5_000);
    await lapse(ids[1]!);
    expect((await claim('sweep-3')).map((row) => row.id)).toEqual([ids[1]]);
  });

  it('lets concurrent sweeps split the due rows, never sharing one', async () => {
    const ids = await due(40);
    const claims = await Promise.all([claim('a'), claim('b'), claim('c')]);
    const all = claims.flat().map((row) => row.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...ids].sort());
  });

  const start = (claim: string, run: string, ids: readonly ConnectionId[]) =>
    startClaimedRefreshes(db(), { claim, run, ids, leaseMs: LEASE_MS });
  const oneOff = (id: ConnectionId, run: string = randomUUID()) =>
    startOneOffRefresh(db(), { id, run, leaseMs: LEASE_MS });
  const free = (run: string, id: ConnectionId, settled = true, holdUntil: Date | null = null) =>
    releaseRefreshLeases(db(), run, [{ id, holdUntil, settled }]);

  it('starts only the unstarted rows its claim holds, under the run, and reads them at once', async () => {
    const ids = await due(3);
    await claim('batch');
    // A caller's refresh takes one row whose batch has not started.
    expect(await oneOff(ids[0]!)).toMatchObject({ id: ids[0], interrupted: false });
    const started = await start('batch', 'run-1', ids);
    expect(started.map((row) => row.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect(started[0]).toMatchObject({ provider: 'fitbit', status: 'active', interrupted: false });
    expect(await lease(ids[1]!)).toMatchObject({
      refresh_lease_owner: 'run-1',
      refresh_lease_started: true,
    });
    // A second run of the same batch (a retry, or a run after a lost lock) gets none of them:
    // the first may be alive.
    expect(await start('batch', 'run-2', ids)).toEqual([]);
    expect(await start('other', 'run-3', ids)).toEqual([]);
  });

  it('keeps a started row from every other run until its run releases it or the lease lapses', async () => {
    const [id] = await due(1);
    await claim('batch');
    await start('batch', 'run-1', [id!]);
    expect(await oneOff(id!)).toBe('in_flight');
    await free('run-2', id!);
    expect(await oneOff(id!)).toBe('in_flight');
    await free('run-1', id!);
    expect(await lease(id!)).toEqual({
      refresh_lease_owner: null,
      refresh_lease_until: null,
      refresh_lease_started: false,
    });
    expect(await oneOff(id!)).toMatchObject({ interrupted: false });
    expect(await oneOff(randomUUID() as ConnectionId)).toBeUndefined();
  });

  it('takes a lapsed run’s row back as interrupted, until a run that reached the provider ends', async () => {
    const [id, other] = await due(2);
    await claim('batch');
    await start('batch', 'run-1', [id!, other!]);
    // The run dies: its leases lapse, and the next sweep claims the rows as interrupted.
    await lapse(id!);
    await lapse(other!);
    expect((await claim('next')).map((row) => row.id).sort()).toEqual([id, other].sort());
    expect(await start('next', 'run-2', [id!, other!])).toMatchObject([
      { interrupted: true },
      { interrupted: true },
    ]);
    // A refresh that did not reach the provider (deferred) keeps it for the row's next run...
    await free('run-2', id!, false, new Date(Date.now() + 60_000));
    expect(await oneOff(id!, 'run-3')).toMatchObject({ interrupted: true });
    // ...one that did settles it.
    await free('run-3', id!, true);
    expect(await oneOff(id!, 'run-4')).toMatchObject({ interrupted: false });
    // The connection's own job's run lapsing is taken over the same way.
    await lapse(id!);
    expect(await oneOff(id!, 'run-5')).toMatchObject({ interrupted: true });
  });

  it('holds a deferred row back for its own job: the sweep skips it until then', async () => {
    const [id] = await due(1);
    await claim('batch');
    await start('batch', 'run-1', [id!]);
    await free('run-1', id!, false, new Date(Date.now() + 60_000));
    expect(await claim('sweep')).toEqual([]);
    expect(await oneOff(id!)).toMatchObject({ id, interrupted: false });
  });

  it('reads what a refresh needs, as the full row holds it, and nothing else', async () => {
    const connection = await insertConnection(db(), connectionInput());
    const failingSince = new Date('2030-01-02T03:04:05Z');
    await updateConnection(db(), connection.id, {
      refreshAttempts: 3,
      lastErrorCode: 'server_error',
      failingSince,
      migrationTo: 'google-health',
      metadata: { big: 'x'.repeat(100) },
    });
    expect(await oneOff(connection.id)).toEqual({
      id: connection.id,
      userId: connection.userId,
      provider: connection.provider,
      status: connection.status,
      refreshTokenEnc: connection.refreshTokenEnc,
      scopes: connection.scopes,
      expiresAt: connection.expiresAt,
      refreshTokenExpiresAt: connection.refreshTokenExpiresAt,
      refreshDueAt: connection.refreshDueAt,
      tokenVersion: connection.tokenVersion,
      refreshAttempts: 3,
      lastErrorCode: 'server_error',
      failingSince,
      migrationTo: 'google-health',
      interrupted: false,
    });
  });

  it('renews and releases only the leases the run holds, and says which it still holds', async () => {
    const [mine, theirs] = await due(2);
    await claim('batch');
    await start('batch', 'mine', [mine!]);
    await sql`update connections set refresh_lease_owner = 'theirs' where id = ${theirs}`.execute(
      db(),
    );
    await lapse(mine!);
    await lapse(theirs!);
    expect(await extendRefreshLeases(db(), 'mine', [mine!, theirs!], LEASE_MS)).toEqual([mine]);
    expect((await lease(mine!)).refresh_lease_until!.getTime()).toBeGreaterThan(Date.now());
    expect((await lease(theirs!)).refresh_lease_until!.getTime()).toBeLessThan(Date.now());
    await releaseRefreshLeases(db(), 'mine', [
      { id: mine!, holdUntil: null, settled: true },
      { id: theirs!, holdUntil: null, settled: true },
    ]);
    expect((await lease(mine!)).refresh_lease_owner).toBeNull();
    expect((await lease(theirs!)).refresh_lease_owner).toBe('theirs');
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findConnection, insertConnection, updateConnection } from './connections.js';
import {
  findOpenMigrationItem,
  insertMigrationItems,
  pendingMigrationItems,
  setMigrationOutcome,
} from './migration-items.js';
import {
  cancelMigration,
  completeMigrationIfDone,
  insertMigration,
  migrationCounts,
} from './provider-migrations.js';
import { connectionInput, migratedPerSuite, TEST_DIALECTS } from '@tokenlane/test-support';

describe.each(TEST_DIALECTS)('provider migrations on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'provider-migrations');

  const start = (from: string) =>
    insertMigration(handle.db, {
      id: randomUUID(),
      from,
      to: `${from}-next`,
      mode: 'token_exchange',
      dryRun: false,
    });

  it('adds the provider’s live connections once, counts that add up, completes when none is open', async () => {
    const from = `p-${randomUUID().slice(0, 8)}`;
    const live = await Promise.all(
      ['active', 'degraded', 'reauth_required'].map((status) =>
        insertConnection(handle.db, connectionInput({ provider: from, status: status as never })),
      ),
    );
    await insertConnection(handle.db, connectionInput({ provider: from, status: 'revoked' }));
    await insertConnection(handle.db, connectionInput({ provider: 'other', status: 'active' }));
    const migration = await start(from);
    expect(await insertMigrationItems(handle.db, migration.id, from)).toBe(3);
    // A second migration of the same provider leaves the connections to the first.
    const second = await start(from);
    expect(await insertMigrationItems(handle.db, second.id, from)).toBe(0);
    expect(await migrationCounts(handle.db, migration.id)).toEqual({
      total: 3,
      pending: 3,
      migrated: 0,
      awaitingConsent: 0,
      reauthRequired: 0,
      failed: 0,
      skipped: 0,
    });
    const [a, b, c] = live.map((connection) => connection.id);
    expect(await setMigrationOutcome(handle.db, migration.id, a!, 'migrated')).toBe(true);
    // Decided stays decided.
    expect(await setMigrationOutcome(handle.db, migration.id, a!, 'failed')).toBe(false);
    await setMigrationOutcome(handle.db, migration.id, b!, 'awaiting_consent');
    await setMigrationOutcome(handle.db, migration.id, c!, 'skipped', 'not_active');
    expect(await pendingMigrationItems(handle.db, migration.id, 10)).toEqual([]);
    expect((await findOpenMigrationItem(handle.db, b!))?.outcome).toBe('awaiting_consent');
    // Awaiting consent is still open: not completed yet.
    expect(await completeMigrationIfDone(handle.db, migration.id)).toBeUndefined();
    await setMigrationOutcome(handle.db, migration.id, b!, 'reauth_required', 'provider_retired');
    expect((await completeMigrationIfDone(handle.db, migration.id))?.status).toBe('completed');
    expect(await completeMigrationIfDone(handle.db, migration.id)).toBeUndefined();
    const counts = await migrationCounts(handle.db, migration.id);
    expect(counts).toMatchObject({ total: 3, migrated: 1, reauthRequired: 1, skipped: 1 });
  });

  it('cancels: pending items are skipped, decided ones stay', async () => {
    const from = `p-${randomUUID().slice(0, 8)}`;
    const rows = await Promise.all(
      [1, 2].map(() => insertConnection(handle.db, connectionInput({ provider: from }))),
    );
    const migration = await start(from);
    await insertMigrationItems(handle.db, migration.id, from, {
      connectionIds: [rows[0]!.id, rows[1]!.id],
    });
    await setMigrationOutcome(handle.db, migration.id, rows[0]!.id, 'migrated');
    expect((await cancelMigration(handle.db, migration.id))?.status).toBe('cancelled');
    expect(await cancelMigration(handle.db, migration.id)).toBeUndefined();
    expect(await migrationCounts(handle.db, migration.id)).toMatchObject({
      total: 2,
      migrated: 1,
      skipped: 1,
      pending: 0,
    });
    // A job that was already running when the cancel came records what it really did.
    expect(await setMigrationOutcome(handle.db, migration.id, rows[1]!.id, 'migrated')).toBe(true);
    expect(await setMigrationOutcome(handle.db, migration.id, rows[1]!.id, 'failed')).toBe(false);
    expect(await migrationCounts(handle.db, migration.id)).toMatchObject({
      total: 2,
      migrated: 2,
      skipped: 0,
    });
  });

  it('moves a connection to another provider, keeping its id', async () => {
    const row = await insertConnection(handle.db, connectionInput({ provider: 'garmin' }));
    await updateConnection(handle.db, row.id, {
      provider: 'garmin-oauth2',
      migrationTo: 'x',
      migrationRequestedAt: new Date(),
    });
    expect(await findConnection(handle.db, row.id)).toMatchObject({
      id: row.id,
      provider: 'garmin-oauth2',
      migrationTo: 'x',
    });
  });
});

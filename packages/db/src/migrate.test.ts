import { CONNECTION_STATUSES } from '@tokenlane/core';
import { sql, type Migration, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertConnection } from './connections.js';
import { MigrationError, migrateToLatest, migrateWith, pendingMigrations } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { connectionInput, TEST_DIALECTS, type TestDatabaseHandle } from '@tokenlane/test-support';

describe.each(TEST_DIALECTS)('migrations on $kind', (dialect) => {
  let handle: TestDatabaseHandle;
  beforeAll(async () => {
    handle = await dialect.open('migrate');
  });
  afterAll(async () => {
    await handle.dispose();
  });

  it('applies everything once, then nothing', async () => {
    expect(await pendingMigrations(handle.db)).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(handle.db)).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(handle.db)).toEqual([]);
    expect(await pendingMigrations(handle.db)).toEqual([]);
  });

  it('creates the sweeper partial index and the other indexes', async () => {
    const { rows } = await sql<{ indexname: string; indexdef: string }>`
      select indexname, indexdef from pg_indexes where tablename = 'connections'`.execute(
      handle.db,
    );
    const due = rows.find((row) => row.indexname === 'connections_refresh_due_idx');
    expect(due?.indexdef).toMatch(/WHERE .*status.*active.*degraded.*refresh_due_at IS NOT NULL/);
    const identity = rows.find((row) => row.indexname === 'connections_identity_pending_idx');
    expect(identity?.indexdef).toMatch(
      /\(identity_next_lookup_at\) WHERE .*identity_pending_since IS NOT NULL.*active.*degraded/,
    );
    expect(rows.map((row) => row.indexname)).toEqual(
      expect.arrayContaining(['connections_provider_user_idx', 'connections_user_idx']),
    );
  });

  it('accepts exactly the core statuses', async () => {
    for (const status of CONNECTION_STATUSES) {
      await insertConnection(handle.db, connectionInput({ status }));
    }
    await expect(
      insertConnection(handle.db, connectionInput({ status: 'bogus' as 'active' })),
    ).rejects.toThrow(/check constraint/);
  });

  it('names the migration that failed, and applies none of a failed batch', async () => {
    const run = (statement: RawBuilder<unknown>): Migration => ({
      up: async (db) => {
        await statement.execute(db);
      },
    });
    // Named to sort after every real migration: kysely refuses one that sorts before an applied one.
    const broken = {
      ...MIGRATIONS,
      '9001_broken': run(sql`select no_such_fn()`),
      '9002_after': run(sql`select 1`),
    };
    const error: unknown = await migrateWith(handle.db, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migrationName).toBe('9001_broken');
    expect((error as MigrationError).message).toMatch(
      /^migration "9001_broken" failed: .*no_such_fn/,
    );
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(
      handle.db,
    );
    expect(rows.map((row) => row.name).sort()).toEqual(Object.keys(MIGRATIONS));
  });
});

describe('concurrent starters on postgres', () => {
  it('lets exactly one process apply each migration', async () => {
    const [postgres] = TEST_DIALECTS;
    const first = await postgres!.open('migrate_race');
    const others = await Promise.all([1, 2, 3].map(() => first.reopen!()));
    try {
      const applied = await Promise.all([first, ...others].map((h) => migrateToLatest(h.db)));
      expect(applied.flat()).toEqual(Object.keys(MIGRATIONS));
    } finally {
      await Promise.all(others.map((h) => h.close()));
      await first.dispose();
    }
  });
});

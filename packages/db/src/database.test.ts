import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '@tokenlane/test-support';
import { createDatabase } from './database.js';
import { migrateToLatest, pendingMigrations } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

describe.each(TEST_DIALECTS)('createDatabase on $kind', (dialect) => {
  it('parses int8 as number and timestamptz as Date', async () => {
    const handle = await dialect.open('types');
    try {
      expect(handle.kind).toBe(dialect.kind);
      const { rows } = await sql<{ big: unknown; at: unknown; n: unknown }>`
        select 9007199254740991::int8 as big, now() as at, count(*) as n from pg_class`.execute(
        handle.db,
      );
      expect(rows[0]?.big).toBe(Number.MAX_SAFE_INTEGER);
      expect(rows[0]?.at).toBeInstanceOf(Date);
      expect(typeof rows[0]?.n).toBe('number');
      await expect(sql`select 9007199254740993::int8 as big`.execute(handle.db)).rejects.toThrow(
        /exceeds 2\^53/,
      );
    } finally {
      await handle.dispose();
    }
  });
});

describe('createDatabase', () => {
  it('needs a url or a data directory', async () => {
    await expect(createDatabase({})).rejects.toThrow(/url.*dataDir/);
  });

  it('persists PGlite under dataDir across reopenings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokenlane-pglite-'));
    try {
      const dataDir = join(dir, 'nested', 'data');
      const first = await createDatabase({ dataDir });
      expect(await migrateToLatest(first.db)).toEqual(Object.keys(MIGRATIONS).sort());
      await first.close();
      await first.close();
      const second = await createDatabase({ dataDir });
      expect(await pendingMigrations(second.db)).toEqual([]);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('pg pool errors', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase('pool_errors');
    });
    afterAll(async () => {
      await database.drop();
    });

    it('hands an idle connection’s error to onError instead of crashing', async () => {
      const onError = vi.fn();
      const handle = await createDatabase({ url: database.url, onError, pool: { max: 1 } });
      const admin = await createDatabase({ url: database.url });
      try {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(
          handle.db,
        );
        await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(admin.db);
        await vi.waitFor(() => {
          expect(onError).toHaveBeenCalledOnce();
        });
        const again = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
        expect(again.rows).toEqual([{ one: 1 }]);
      } finally {
        await handle.close();
        await admin.close();
      }
    });
  });
});

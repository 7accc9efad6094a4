import { Migrator, sql, type Migration } from 'kysely';
import { MIGRATIONS } from './migrations/index.js';
import type { DbExecutor } from './schema.js';

// Arbitrary, but fixed forever: every tokenlane process must agree on it ("tlmig").
const MIGRATION_LOCK_KEY = 0x74_6c_6d_69_67;

/** A migration failed; `migrationName` says which (undefined when none had started). */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly code = 'migration_failed';
  constructor(
    readonly migrationName: string | undefined,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      migrationName === undefined
        ? `database migrations could not start: ${reason}`
        : `migration "${migrationName}" failed: ${reason}`,
      options,
    );
  }
}

function migrator(db: DbExecutor, migrations: Readonly<Record<string, Migration>>): Migrator {
  // An in-code provider rather than a folder scan, so migrations survive bundling.
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
  });
}

/**
 * Applies every pending migration, all in one transaction, and returns their names (empty
 * when up to date); throws {@link MigrationError}. A session advisory lock on one connection serialises concurrent starters, including
 * kysely's own bookkeeping-table creation, which runs before its internal lock.
 */
export async function migrateToLatest(db: DbExecutor): Promise<string[]> {
  return migrateWith(db, MIGRATIONS);
}

/** {@link migrateToLatest} over an explicit list (tests exercise failures with it). */
export async function migrateWith(
  db: DbExecutor,
  migrations: Readonly<Record<string, Migration>>,
): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      const { error, results = [] } = await migrator(conn, migrations).migrateToLatest();
      if (error !== undefined) {
        const failed = results.find((result) => result.status === 'Error');
        throw new MigrationError(failed?.migrationName, { cause: error });
      }
      return results.map((result) => result.migrationName);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Names of migrations not yet applied, for readiness checks. */
export async function pendingMigrations(db: DbExecutor): Promise<string[]> {
  const migrations = await migrator(db, MIGRATIONS).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

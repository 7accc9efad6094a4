import { isUuid } from '@tokenlane/core';
import { sql, type Selectable } from 'kysely';
import type {
  DbExecutor,
  MigrationMode,
  MigrationOutcome,
  MigrationsTable,
  MigrationStatus,
} from './schema.js';

/** A provider migration as the rest of tokenlane sees it. */
export interface ProviderMigration {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly mode: MigrationMode;
  readonly status: MigrationStatus;
  readonly dryRun: boolean;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
  /** Why a `paused` run stopped: `credentials`, `clock`, `failure_rate` or `operator`. */
  readonly pausedReason: string | null;
  /** The last resume: the failure-rate window starts there. */
  readonly resumedAt: Date | null;
}

/** Connections per outcome; `total` is their sum, so the counts always add up. */
export interface MigrationCounts {
  readonly total: number;
  readonly pending: number;
  readonly migrated: number;
  readonly awaitingConsent: number;
  readonly reauthRequired: number;
  readonly failed: number;
  readonly skipped: number;
}

const toMigration = (row: Selectable<MigrationsTable>): ProviderMigration => ({
  id: row.id,
  from: row.from_provider,
  to: row.to_provider,
  mode: row.mode,
  status: row.status,
  dryRun: row.dry_run,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
  pausedReason: row.paused_reason,
  resumedAt: row.resumed_at,
});

/** A new migration row, running. */
export async function insertMigration(
  db: DbExecutor,
  input: { id: string; from: string; to: string; mode: MigrationMode; dryRun: boolean },
): Promise<ProviderMigration> {
  const row = await db
    .insertInto('migrations')
    .values({
      id: input.id,
      from_provider: input.from,
      to_provider: input.to,
      mode: input.mode,
      dry_run: input.dryRun,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toMigration(row);
}

export async function findMigration(
  db: DbExecutor,
  id: string,
): Promise<ProviderMigration | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('migrations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMigration(row);
}

/** Migrations, newest first. */
export async function listMigrations(
  db: DbExecutor,
  query: { status?: MigrationStatus; limit: number },
): Promise<ProviderMigration[]> {
  let select = db.selectFrom('migrations').selectAll();
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(query.limit)
    .execute();
  return rows.map(toMigration);
}

/** Counts by outcome, from the items themselves. */
export async function migrationCounts(db: DbExecutor, id: string): Promise<MigrationCounts> {
  const rows = await db
    .selectFrom('migration_items')
    .select(['outcome', (eb) => eb.fn.countAll<string>().as('count')])
    .where('migration_id', '=', id)
    .groupBy('outcome')
    .execute();
  const of = (outcome: MigrationOutcome) =>
    Number(rows.find((row) => row.outcome === outcome)?.count ?? 0);
  const counts = {
    pending: of('pending'),
    migrated: of('migrated'),
    awaitingConsent: of('awaiting_consent'),
    reauthRequired: of('reauth_required'),
    failed: of('failed'),
    skipped: of('skipped'),
  };
  return { total: Object.values(counts).reduce((sum, n) => sum + n, 0), ...counts };
}

/**
 * Completes a running migration once no item is open (pending or awaiting consent; for a dry
 * run, pending only: its consents are never asked for); returns it when this call completed
 * it, so exactly one caller writes `migration.completed`.
 */
export async function completeMigrationIfDone(
  db: DbExecutor,
  id: string,
): Promise<ProviderMigration | undefined> {
  const migration = await findMigration(db, id);
  const open: MigrationOutcome[] =
    migration?.dryRun === true ? ['pending'] : ['pending', 'awaiting_consent'];
  const row = await db
    .updateTable('migrations')
    .set({ status: 'completed', finished_at: sql<Date>`now()`, paused_reason: null })
    .where('id', '=', id)
    .where('status', 'in', ['running', 'paused'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('migration_items')
            .select(sql`1`.as('one'))
            .where('migration_id', '=', id)
            .where('outcome', 'in', open),
        ),
      ),
    )
    .returningAll()
    .executeTakeFirst();
  return row && toMigration(row);
}

/** Pauses a running migration; returns it when this call paused it. */
export async function pauseMigration(
  db: DbExecutor,
  id: string,
  reason: string,
): Promise<ProviderMigration | undefined> {
  const row = await db
    .updateTable('migrations')
    .set({ status: 'paused', paused_reason: reason })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .returningAll()
    .executeTakeFirst();
  return row && toMigration(row);
}

/** Resumes a paused migration (its failure-rate window starts again); returns it when resumed. */
export async function resumeMigration(
  db: DbExecutor,
  id: string,
): Promise<ProviderMigration | undefined> {
  const row = await db
    .updateTable('migrations')
    .set({ status: 'running', paused_reason: null, resumed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'paused')
    .returningAll()
    .executeTakeFirst();
  return row && toMigration(row);
}

/**
 * The last `limit` decided outcomes of a migration since `since` (its last resume), newest
 * first: how many there are and how many failed (`failed` or `reauth_required`).
 */
export async function recentMigrationFailures(
  db: DbExecutor,
  id: string,
  since: Date | null,
  limit: number,
): Promise<{ decided: number; failed: number }> {
  let recent = db
    .selectFrom('migration_items')
    .select('outcome')
    .where('migration_id', '=', id)
    .where('outcome', 'not in', ['pending', 'awaiting_consent']);
  if (since !== null) recent = recent.where('updated_at', '>=', since);
  const rows = await recent.orderBy('updated_at', 'desc').limit(limit).execute();
  const failed = rows.filter(
    (row) => row.outcome === 'failed' || row.outcome === 'reauth_required',
  );
  return { decided: rows.length, failed: failed.length };
}

/** Cancels a running migration: its pending items are skipped (`cancelled`); decided ones stay. */
export async function cancelMigration(
  db: DbExecutor,
  id: string,
): Promise<ProviderMigration | undefined> {
  const row = await db
    .updateTable('migrations')
    .set({ status: 'cancelled', finished_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', 'in', ['running', 'paused'])
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) return undefined;
  await db
    .updateTable('migration_items')
    .set({ outcome: 'skipped', detail: 'cancelled', updated_at: sql<Date>`now()` })
    .where('migration_id', '=', id)
    .where('outcome', '=', 'pending')
    .execute();
  return toMigration(row);
}

/** Ids of running migrations (a worker that starts resumes them). */
export async function runningMigrationIds(db: DbExecutor): Promise<string[]> {
  const rows = await db
    .selectFrom('migrations')
    .select('id')
    .where('status', '=', 'running')
    .execute();
  return rows.map((row) => row.id);
}

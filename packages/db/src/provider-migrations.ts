import { isUuid, type ConnectionId } from '@tokenlane/core';
import { sql, type Selectable } from 'kysely';
import { toConnection, type Connection } from './connection-rows.js';
import type {
  DbExecutor,
  MigrationItemsTable,
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
}

/** One connection of a migration. */
export interface MigrationItem {
  readonly migrationId: string;
  readonly connectionId: ConnectionId;
  readonly outcome: MigrationOutcome;
  readonly detail: string | null;
  readonly exchangeStartedAt: Date | null;
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
});

const toItem = (row: Selectable<MigrationItemsTable>): MigrationItem => ({
  migrationId: row.migration_id,
  connectionId: row.connection_id,
  outcome: row.outcome,
  detail: row.detail,
  exchangeStartedAt: row.exchange_started_at,
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

/**
 * Adds every connection of `from` that is not revoked (or only those of `connectionIds`) as a
 * pending item, in one statement. A connection already waiting in another running migration
 * is left to it. Returns how many were added.
 */
export async function insertMigrationItems(
  db: DbExecutor,
  migrationId: string,
  from: string,
  options: { connectionIds?: readonly ConnectionId[] | undefined; dryRun?: boolean } = {},
): Promise<number> {
  const { connectionIds, dryRun = false } = options;
  const ids = connectionIds?.filter((id) => isUuid(id));
  if (ids?.length === 0) return 0;
  let select = db
    .selectFrom('connections')
    .select([
      sql<string>`${migrationId}::uuid`.as('migration_id'),
      'id as connection_id',
      sql<boolean>`${dryRun}::boolean`.as('dry_run'),
    ])
    .where('provider', '=', from)
    .where('status', '!=', 'revoked');
  if (ids !== undefined) select = select.where('id', 'in', ids);
  const result = await db
    .insertInto('migration_items')
    .columns(['migration_id', 'connection_id', 'dry_run'])
    .expression(select)
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
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

/** One item, locked until the transaction ends when `forUpdate`. */
export async function findMigrationItem(
  db: DbExecutor,
  migrationId: string,
  connectionId: ConnectionId,
  forUpdate = false,
): Promise<MigrationItem | undefined> {
  let select = db
    .selectFrom('migration_items')
    .selectAll()
    .where('migration_id', '=', migrationId)
    .where('connection_id', '=', connectionId);
  if (forUpdate) select = select.forUpdate();
  const row = await select.executeTakeFirst();
  return row && toItem(row);
}

/** The item a connection waits in (pending or awaiting consent), if any. */
export async function findOpenMigrationItem(
  db: DbExecutor,
  connectionId: ConnectionId,
): Promise<MigrationItem | undefined> {
  const row = await db
    .selectFrom('migration_items')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('outcome', 'in', ['pending', 'awaiting_consent'])
    .where('dry_run', '=', false)
    .executeTakeFirst();
  return row && toItem(row);
}

/**
 * Writes an item's outcome; only a still-open item moves (a decided one stays decided). An
 * item a cancel skipped while its job was already running takes that job's real outcome, so
 * the counts say what happened to the connection.
 */
export async function setMigrationOutcome(
  db: DbExecutor,
  migrationId: string,
  connectionId: ConnectionId,
  outcome: MigrationOutcome,
  detail: string | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('migration_items')
    .set({ outcome, detail, updated_at: sql<Date>`now()` })
    .where('migration_id', '=', migrationId)
    .where('connection_id', '=', connectionId)
    .where((eb) =>
      eb.or([
        eb('outcome', 'in', ['pending', 'awaiting_consent']),
        eb.and([eb('outcome', '=', 'skipped'), eb('detail', '=', 'cancelled')]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Stamps an item before its token exchange is sent (the answer may then be lost). */
export async function markExchangeStarted(
  db: DbExecutor,
  migrationId: string,
  connectionId: ConnectionId,
): Promise<void> {
  await db
    .updateTable('migration_items')
    .set({ exchange_started_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('migration_id', '=', migrationId)
    .where('connection_id', '=', connectionId)
    .execute();
}

/** Pending connection ids of a migration after `after`, in id order (for re-enqueueing). */
export async function pendingMigrationItems(
  db: DbExecutor,
  migrationId: string,
  limit: number,
  after?: ConnectionId,
): Promise<ConnectionId[]> {
  let select = db
    .selectFrom('migration_items')
    .select('connection_id')
    .where('migration_id', '=', migrationId)
    .where('outcome', '=', 'pending');
  if (after !== undefined) select = select.where('connection_id', '>', after);
  const rows = await select.orderBy('connection_id').limit(limit).execute();
  return rows.map((row) => row.connection_id);
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
    .set({ status: 'completed', finished_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'running')
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

/** Cancels a running migration: its pending items are skipped (`cancelled`); decided ones stay. */
export async function cancelMigration(
  db: DbExecutor,
  id: string,
): Promise<ProviderMigration | undefined> {
  const row = await db
    .updateTable('migrations')
    .set({ status: 'cancelled', finished_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'running')
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

/** Active or degraded connections of a provider (a sunset pass retires them in pages). */
export async function findLiveConnectionsOf(
  db: DbExecutor,
  provider: string,
  limit: number,
): Promise<Connection[]> {
  const rows = await db
    .selectFrom('connections')
    .selectAll()
    .where('provider', '=', provider)
    .where('status', 'in', ['active', 'degraded'])
    .limit(limit)
    .execute();
  return rows.map(toConnection);
}

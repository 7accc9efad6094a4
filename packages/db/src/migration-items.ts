import { isUuid, type ConnectionId } from '@tokenlane/core';
import { sql, type Selectable } from 'kysely';
import { toConnection, type Connection } from './connection-rows.js';
import type { DbExecutor, MigrationItemsTable, MigrationOutcome } from './schema.js';

/** One connection of a migration. */
export interface MigrationItem {
  readonly migrationId: string;
  readonly connectionId: ConnectionId;
  readonly outcome: MigrationOutcome;
  readonly detail: string | null;
  readonly exchangeStartedAt: Date | null;
}

const toItem = (row: Selectable<MigrationItemsTable>): MigrationItem => ({
  migrationId: row.migration_id,
  connectionId: row.connection_id,
  outcome: row.outcome,
  detail: row.detail,
  exchangeStartedAt: row.exchange_started_at,
});

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

/**
 * Stamps an item before its token exchange is sent (`true`: the answer may then be lost), or
 * clears the stamp once the provider answered (`false`: a later attempt is not an
 * interrupted one).
 */
export async function markExchangeInFlight(
  db: DbExecutor,
  migrationId: string,
  connectionId: ConnectionId,
  inFlight: boolean,
): Promise<void> {
  await db
    .updateTable('migration_items')
    .set({
      exchange_started_at: inFlight ? sql<Date>`now()` : null,
      updated_at: sql<Date>`now()`,
    })
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

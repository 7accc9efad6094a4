import { isRefreshable, type ConnectionId } from '@tokenlane/core';
import {
  findConnection,
  findMigration,
  findMigrationItem,
  type Connection,
  type MigrationOutcome,
  type ProviderMigration,
} from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { exchangeConnectionTokens } from './exchange-tokens.js';
import { requestConsent } from './reconsent.js';
import { decide, type MigrateOptions, type MigrateOutcome } from './outcome.js';

/**
 * One connection of a migration, idempotent: an item already decided is left alone, so a
 * repeated job (a restart, a retry) never moves a connection twice. A connection that left
 * `from` meanwhile is `skipped` (or `migrated`, if it is already at `to`).
 */
export async function migrateConnection(
  ctx: LifecycleContext,
  migrationId: string,
  connectionId: ConnectionId,
  options: MigrateOptions,
): Promise<MigrateOutcome> {
  const migration = await findMigration(ctx.db, migrationId);
  if (migration === undefined) return { status: 'noop', reason: 'migration_not_found' };
  if (migration.status !== 'running') return { status: 'noop', reason: migration.status };
  const item = await findMigrationItem(ctx.db, migrationId, connectionId);
  if (item?.outcome !== 'pending') return { status: 'noop', reason: 'decided' };
  const connection = await findConnection(ctx.db, connectionId);
  const early =
    connection === undefined
      ? 'not_found'
      : precheck(migration, connection, item.exchangeStartedAt !== null);
  if (early !== undefined) {
    const [outcome, detail]: [MigrationOutcome, string] = Array.isArray(early)
      ? early
      : ['skipped', early];
    return decide(ctx, migration, connectionId, outcome, detail);
  }
  const live = connection as Connection;
  switch (migration.mode) {
    case 'token_exchange':
      return exchangeConnectionTokens(ctx, migration, live, {
        ...options,
        interrupted: item.exchangeStartedAt !== null,
      });
    case 'reconsent':
      return requestConsent(ctx, migration, live);
  }
}

/** Why a connection is not migrated by this job: a skip reason, or an outcome reached before. */
function precheck(
  migration: ProviderMigration,
  connection: Connection,
  exchangeStarted: boolean,
): string | [MigrationOutcome, string] | undefined {
  if (connection.provider === migration.to) return ['migrated', 'already_at_successor'];
  if (connection.provider !== migration.from) return 'moved_elsewhere';
  // This migration's exchange was refused, and the worker stopped before writing the outcome.
  if (
    exchangeStarted &&
    connection.status === 'reauth_required' &&
    connection.lastErrorCode === 'provider_migration'
  ) {
    return ['reauth_required', 'provider_migration'];
  }
  if (!isRefreshable(connection.status)) return 'not_active';
  return undefined;
}

import { isRefreshable, type ConnectionId } from '@tokenlane/core';
import {
  findConnection,
  findMigration,
  findMigrationItem,
  type Connection,
  type MigrationOutcome,
  type ProviderMigration,
} from '@tokenlane/db';
import { defineJob } from '@tokenlane/queue';
import { z } from 'zod';
import type { LifecycleContext } from '../context.js';
import { connectionIdSchema, migrationIdSchema } from '../payload-ids.js';
import { exchangeConnectionTokens } from './exchange-tokens.js';
import { requestConsent } from './reconsent.js';
import { decide, type MigrateOptions, type MigrateOutcome } from './outcome.js';

/** Spread of rate-limited jobs waking together, so they do not arrive at Redis in one burst. */
const WAKE_SPREAD_MS = 1_000;

/**
 * `migrate`: move one connection of a provider migration to the successor (or ask its user
 * to). A call the provider's rate limit defers goes back to waiting without spending an
 * attempt; a transient provider failure throws for the backoff, and the last attempt records
 * the connection as `failed`.
 */
export const migrateJob = defineJob({
  name: 'migrate',
  payload: z.strictObject({ migrationId: migrationIdSchema, connectionId: connectionIdSchema }),
  jobId: (p) => `migrate-${p.migrationId}-${p.connectionId}`,
  // Transient provider failures and our own: the item's outcome on the database row makes
  // a repeat harmless; the last attempt records `failed`.
  attempts: 8,
  backoff: { baseMs: 2_000, capMs: 5 * 60_000 },
  // Removed at once: the outcome lives on the migration item, and a restart re-adds the
  // job ids of items still pending.
  retention: { completed: true, failed: true },
  lockMs: 15_000,
  // Each one a provider call at most: wide enough for a provider's rate limit to be the brake.
  concurrency: 20,
  async run(
    ctx: Pick<
      LifecycleContext,
      'db' | 'keyRing' | 'providers' | 'redis' | 'metrics' | 'logger' | 'config'
    >,
    { migrationId, connectionId },
    control,
  ) {
    const outcome = await migrateConnection(ctx, migrationId, connectionId, {
      finalAttempt: control.lastAttempt,
    });
    if (outcome.status === 'deferred') {
      await control.deferUntil(
        Date.now() + outcome.retryInMs + Math.floor(Math.random() * WAKE_SPREAD_MS),
      );
    }
    return outcome;
  },
});

/**
 * One connection of a migration, idempotent: an item already decided is left alone, so a
 * repeated job (a restart, a retry) never moves a connection twice. A connection that left
 * `from` meanwhile is `skipped` (or `migrated`, if it is already at `to`).
 */
export async function migrateConnection(
  ctx: Pick<
    LifecycleContext,
    'db' | 'keyRing' | 'providers' | 'redis' | 'metrics' | 'logger' | 'config'
  >,
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

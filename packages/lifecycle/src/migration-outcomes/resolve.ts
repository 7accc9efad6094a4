import { isUuid, type ConnectionId } from '@tokenlane/core';
import {
  appendEvent,
  completeMigrationIfDone,
  findMigration,
  findOpenMigrationItem,
  migrationCounts,
  setMigrationOutcome,
  type DbExecutor,
  type MigrationOutcome,
  type ProviderMigration,
} from '@tokenlane/db';
import type { Metrics } from '@tokenlane/metrics';
import { sql } from 'kysely';
import type { LifecycleContext } from '../context.js';
import { pauseOnFailureRate } from './pause.js';

/**
 * Locks the migration's row: every outcome write and the completion check run one at a time
 * per migration, so the last outcome always sees the others and completes it exactly once.
 */
export async function lockMigration(
  trx: DbExecutor,
  id: string,
): Promise<ProviderMigration | undefined> {
  if (!isUuid(id)) return undefined;
  await sql`select 1 from migrations where id = ${id}::uuid for update`.execute(trx);
  return findMigration(trx, id);
}

/**
 * Writes one connection's outcome (only if it is still open), pauses the run when too many of
 * its recent outcomes failed (`pause.ts`), and, when it was the last open one, completes the
 * migration with `migration.completed` and the final counts — in `trx`,
 * which the caller may share with the connection's own write.
 */
export async function recordMigrationOutcome(
  trx: DbExecutor,
  metrics: Metrics,
  migrationId: string,
  connectionId: ConnectionId,
  outcome: Exclude<MigrationOutcome, 'pending'>,
  detail: string | null = null,
): Promise<boolean> {
  const migration = await lockMigration(trx, migrationId);
  if (migration === undefined) return false;
  const written = await setMigrationOutcome(trx, migrationId, connectionId, outcome, detail);
  if (written) {
    metrics.migrationOutcomes.inc({
      migration: migration.id,
      from: migration.from,
      to: migration.to,
      outcome,
    });
    if (outcome === 'failed' || outcome === 'reauth_required') {
      await pauseOnFailureRate(trx, migration);
    }
  }
  await completeIfDone(trx, migrationId);
  return written;
}

/** Completes the migration if nothing is open; writes `migration.completed` with its counts. */
export async function completeIfDone(trx: DbExecutor, migrationId: string): Promise<void> {
  const done = await completeMigrationIfDone(trx, migrationId);
  if (done === undefined) return;
  const counts = await migrationCounts(trx, migrationId);
  await appendEvent(trx, {
    type: 'migration.completed',
    provider: done.from,
    data: {
      migrationId: done.id,
      from: done.from,
      to: done.to,
      mode: done.mode,
      dryRun: done.dryRun,
      status: done.status,
      counts: { ...counts },
    },
  });
}

/**
 * A connection waiting in a migration reached an end outside the migration's own job (its
 * user re-linked, or its provider retired): record it there too.
 */
export async function resolveOpenMigration(
  ctx: Pick<LifecycleContext, 'db' | 'metrics'>,
  connectionId: ConnectionId,
  outcome: Exclude<MigrationOutcome, 'pending'>,
  detail: string | null = null,
): Promise<void> {
  const item = await findOpenMigrationItem(ctx.db, connectionId);
  if (item === undefined) return;
  await ctx.db
    .transaction()
    .execute((trx) =>
      recordMigrationOutcome(trx, ctx.metrics, item.migrationId, connectionId, outcome, detail),
    );
}

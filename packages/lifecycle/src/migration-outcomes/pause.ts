import {
  appendEvent,
  pauseMigration as pauseMigrationRow,
  recentMigrationFailures,
  type DbExecutor,
  type ProviderMigration,
} from '@tokenlane/db';

/**
 * Why a run stopped before it could harm its users:
 * - `credentials`: the provider refused our consumer key, secret or signature;
 * - `clock`: it refused our timestamp;
 * - `failure_rate`: more than {@link FAILURE_SHARE} of the last {@link FAILURE_WINDOW} outcomes
 *   failed (with at least {@link FAILURE_MINIMUM} of them in);
 * - `operator`: `POST /v1/migrations/:id/pause`.
 */
export type MigrationPauseReason = 'credentials' | 'clock' | 'failure_rate' | 'operator';

export const FAILURE_WINDOW = 50;
export const FAILURE_SHARE = 0.2;
/** Fewer outcomes than this say too little: one revoked user early on must not stop a run. */
export const FAILURE_MINIMUM = 10;

/**
 * Pauses a running migration with `migration.paused`, in `trx` (the caller holds the
 * migration's row lock). Pending items stay pending: their jobs find the run paused and end
 * without spending an attempt, and resuming adds them again. True when this call paused it.
 */
export async function pauseRun(
  trx: DbExecutor,
  migrationId: string,
  reason: MigrationPauseReason,
): Promise<boolean> {
  const paused = await pauseMigrationRow(trx, migrationId, reason);
  if (paused === undefined) return false;
  await appendEvent(trx, {
    type: 'migration.paused',
    provider: paused.from,
    data: { migrationId: paused.id, from: paused.from, to: paused.to, reason },
  });
  return true;
}

/**
 * After a failure was recorded: pauses the run when too many of its recent outcomes failed.
 * The window starts at the last resume, so the failures that paused a run do not pause it again.
 */
export async function pauseOnFailureRate(
  trx: DbExecutor,
  migration: ProviderMigration,
): Promise<boolean> {
  if (migration.status !== 'running' || migration.dryRun) return false;
  const recent = await recentMigrationFailures(
    trx,
    migration.id,
    migration.resumedAt,
    FAILURE_WINDOW,
  );
  if (recent.decided < FAILURE_MINIMUM || recent.failed <= recent.decided * FAILURE_SHARE) {
    return false;
  }
  return pauseRun(trx, migration.id, 'failure_rate');
}

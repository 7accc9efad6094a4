import {
  appendEvent,
  cancelMigration as cancelMigrationRow,
  resumeMigration as resumeMigrationRow,
  type DbExecutor,
  type ProviderMigration,
} from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { LifecycleError } from '../errors.js';
import { pauseRun } from '../migration-outcomes/pause.js';
import { lockMigration } from '../migration-outcomes/resolve.js';
import { enqueuePending, migrationView, type MigrationView } from './start.js';

type Ops = Pick<LifecycleContext, 'db' | 'queues' | 'logger'>;

/**
 * `POST /v1/migrations/:id/pause`: stops a running migration where it stands. Connections
 * already decided stay so; pending ones wait, their jobs end without spending an attempt.
 */
export async function pauseMigration(ctx: Ops, id: string): Promise<MigrationView> {
  await underLock(ctx, id, 'running', (trx) => pauseRun(trx, id, 'operator'));
  ctx.logger.warn({ migrationId: id, reason: 'operator' }, 'migration paused');
  return migrationView(ctx, id);
}

/**
 * `POST /v1/migrations/:id/resume`: a paused migration goes on. Its pending items' jobs are
 * added again, and its failure-rate window starts afresh.
 */
export async function resumeMigration(ctx: Ops, id: string): Promise<MigrationView> {
  await underLock(ctx, id, 'paused', async (trx) => {
    const resumed = await resumeMigrationRow(trx, id);
    if (resumed === undefined) return false;
    await appendEvent(trx, {
      type: 'migration.resumed',
      provider: resumed.from,
      data: { migrationId: resumed.id, from: resumed.from, to: resumed.to },
    });
    return true;
  });
  const added = await enqueuePending(ctx, id);
  ctx.logger.info({ migrationId: id, added }, 'migration resumed');
  return migrationView(ctx, id);
}

/** Stops a running or paused migration; what is done stays done, pending connections are `skipped`. */
export async function cancelMigration(ctx: Ops, id: string): Promise<MigrationView> {
  await underLock(ctx, id, 'running or paused', async (trx) => {
    return (await cancelMigrationRow(trx, id)) !== undefined;
  });
  return migrationView(ctx, id);
}

/**
 * Runs `change` under the migration's row lock; refuses with `migration_not_found`, or with
 * `migration_finished` / `migration_not_paused` when the run is not in the state `expected`.
 */
async function underLock(
  ctx: Ops,
  id: string,
  expected: string,
  change: (trx: DbExecutor) => Promise<boolean>,
): Promise<void> {
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const migration = await lockMigration(trx, id);
    if (migration === undefined) return { migration };
    return { migration, changed: await change(trx) };
  });
  if (outcome.migration === undefined) {
    throw new LifecycleError('migration_not_found', 'migration not found');
  }
  if (!outcome.changed) throw refusal(outcome.migration, expected);
}

function refusal(migration: ProviderMigration, expected: string): LifecycleError {
  const finished = migration.status === 'completed' || migration.status === 'cancelled';
  return finished
    ? new LifecycleError('migration_finished', `migration is already ${migration.status}`)
    : new LifecycleError('migration_state', `migration is ${migration.status}, not ${expected}`);
}

import type { ConnectionId } from '@tokenlane/core';
import {
  findMigration,
  insertMigration,
  insertMigrationItems,
  listMigrations,
  migrationCounts,
  pendingMigrationItems,
  runningMigrationIds,
  type MigrationCounts,
  type MigrationMode,
  type ProviderMigration,
} from '@tokenlane/db';
import { isRetired, supportsTokenExchange } from '@tokenlane/providers';
import { randomUUID } from 'node:crypto';
import type { LifecycleContext } from '../context.js';
import { LifecycleError } from '../errors.js';
import { dryRunMigration } from './dry-run.js';
import { completeIfDone, lockMigration } from '../migration-outcomes/resolve.js';
import { migrateJob } from './run.js';

/** What `POST /v1/migrations` asks for. */
export interface StartMigrationInput {
  readonly from: string;
  readonly to: string;
  readonly mode?: MigrationMode | undefined;
  /** Only these connections of `from` (default: every one that is not revoked). */
  readonly connectionIds?: readonly ConnectionId[] | undefined;
  /** Report what would happen; change nothing. */
  readonly dryRun?: boolean | undefined;
}

/** A migration and its counts, as the API and the CLI show it. */
export interface MigrationView {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly mode: MigrationMode;
  readonly status: ProviderMigration['status'];
  /** Why a `paused` run stopped (`credentials`, `clock`, `failure_rate`, `operator`). */
  readonly pausedReason: string | null;
  readonly dryRun: boolean;
  readonly counts: MigrationCounts;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** Job ids per enqueue batch while a migration's connections are added or resumed. */
const ENQUEUE_PAGE = 1_000;

/**
 * Starts moving `from`'s connections to its declared successor `to`: one migration row and
 * one pending item per connection in one transaction, then one `migrate` job per item
 * (deterministic ids: adding them again adds nothing). `mode` defaults to `token_exchange`
 * where `from` supports it, else `reconsent`. A dry run decides every item at once from the
 * rows alone and changes no connection.
 */
export async function startMigration(
  ctx: Pick<LifecycleContext, 'db' | 'providers' | 'queues' | 'logger'>,
  input: StartMigrationInput,
): Promise<MigrationView> {
  const from = ctx.providers.get(input.from);
  const to = ctx.providers.get(input.to);
  if (from === undefined || to === undefined) {
    throw new LifecycleError(
      'invalid_migration',
      `Unknown provider "${from === undefined ? input.from : input.to}"`,
    );
  }
  if (from.successor !== to.id) {
    throw new LifecycleError(
      'invalid_migration',
      `"${to.id}" is not the declared successor of "${from.id}"`,
    );
  }
  // Past the sunset the connections already need their users (provider_retired, re-link at
  // the successor): there is nothing left to move. A later date in the providers file reopens it.
  if (isRetired(from)) {
    throw new LifecycleError(
      'invalid_migration',
      `"${from.id}" is retired: its connections already re-link at "${to.id}"`,
    );
  }
  const exchange = supportsTokenExchange(from, to);
  const mode = input.mode ?? (exchange ? 'token_exchange' : 'reconsent');
  if (mode === 'token_exchange' && !exchange) {
    throw new LifecycleError('invalid_migration', `"${from.id}" offers no token exchange`);
  }
  const dryRun = input.dryRun === true;
  if (!dryRun) {
    // Credentials are needed for real calls: the exchange signs with from's, the tokens are to's.
    ctx.providers.require(to.id);
    if (mode === 'token_exchange') ctx.providers.require(from.id);
  }
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertMigration(trx, { id, from: from.id, to: to.id, mode, dryRun });
    await insertMigrationItems(trx, id, from.id, { connectionIds: input.connectionIds, dryRun });
    if (dryRun) await dryRunMigration(trx, id, mode);
    // A migration with nothing to do (or a dry run) is complete at once.
    await lockMigration(trx, id);
    await completeIfDone(trx, id);
  });
  if (!dryRun) await enqueuePending(ctx, id);
  ctx.logger.info({ migrationId: id, from: from.id, to: to.id, mode, dryRun }, 'migration started');
  return migrationView(ctx, id);
}

/** Adds the `migrate` job of every pending item (again: deterministic ids add nothing twice). */
export async function enqueuePending(
  ctx: Pick<LifecycleContext, 'db' | 'queues'>,
  migrationId: string,
): Promise<number> {
  let after: ConnectionId | undefined;
  let added = 0;
  for (;;) {
    const ids = await pendingMigrationItems(ctx.db, migrationId, ENQUEUE_PAGE, after);
    if (ids.length === 0) return added;
    await ctx.queues.enqueueBulk(
      migrateJob,
      ids.map((connectionId) => ({ payload: { migrationId, connectionId } })),
    );
    added += ids.length;
    after = ids.at(-1);
  }
}

/**
 * Re-adds the jobs of every running migration's pending items: a worker that starts resumes
 * a migration whose process died between writing its items and adding their jobs, or whose
 * Redis lost them. Jobs still queued are not duplicated.
 */
export async function resumeMigrations(
  ctx: Pick<LifecycleContext, 'db' | 'queues'>,
): Promise<number> {
  let added = 0;
  for (const id of await runningMigrationIds(ctx.db)) added += await enqueuePending(ctx, id);
  return added;
}

/** One migration with its counts; throws `migration_not_found`. */
export async function migrationView(
  ctx: Pick<LifecycleContext, 'db'>,
  id: string,
): Promise<MigrationView> {
  const migration = await findMigration(ctx.db, id);
  if (migration === undefined)
    throw new LifecycleError('migration_not_found', 'migration not found');
  return toView(migration, await migrationCounts(ctx.db, id));
}

/** Migrations, newest first, with their counts (only those in `status`, when given). */
export async function listMigrationViews(
  ctx: Pick<LifecycleContext, 'db'>,
  limit = 50,
  status?: ProviderMigration['status'],
): Promise<MigrationView[]> {
  const migrations = await listMigrations(ctx.db, { limit, ...(status && { status }) });
  return Promise.all(migrations.map(async (m) => toView(m, await migrationCounts(ctx.db, m.id))));
}

function toView(migration: ProviderMigration, counts: MigrationCounts): MigrationView {
  return {
    id: migration.id,
    from: migration.from,
    to: migration.to,
    mode: migration.mode,
    status: migration.status,
    pausedReason: migration.pausedReason,
    dryRun: migration.dryRun,
    counts,
    createdAt: migration.createdAt.toISOString(),
    finishedAt: migration.finishedAt?.toISOString() ?? null,
  };
}

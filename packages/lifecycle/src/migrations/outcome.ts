import type { ConnectionId } from '@tokenlane/core';
import type { MigrationOutcome, ProviderMigration } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { recordMigrationOutcome } from '../migration-outcomes/resolve.js';

/** What one `migrate` job did (ids and codes only: it is a job's return value). */
export type MigrateOutcome =
  | { readonly status: 'decided'; readonly outcome: MigrationOutcome; readonly detail?: string }
  /** Already decided, or the migration is gone, paused or stopped: nothing to do. */
  | { readonly status: 'noop'; readonly reason: string }
  /** Not sent: the provider's rate limit says wait (no attempt spent). */
  | { readonly status: 'deferred'; readonly retryInMs: number };

export interface MigrateOptions {
  /** The job's last attempt: a transient failure is then recorded as `failed`. */
  readonly finalAttempt: boolean;
}

/** Records an outcome in its own transaction and reports it. */
export async function decide(
  ctx: Pick<LifecycleContext, 'db' | 'metrics'>,
  migration: ProviderMigration,
  connectionId: ConnectionId,
  outcome: MigrationOutcome,
  detail: string | null = null,
): Promise<MigrateOutcome> {
  if (outcome === 'pending') throw new Error('a decided outcome cannot be pending');
  await ctx.db
    .transaction()
    .execute((trx) =>
      recordMigrationOutcome(trx, ctx.metrics, migration.id, connectionId, outcome, detail),
    );
  return { status: 'decided', outcome, ...(detail === null ? {} : { detail }) };
}

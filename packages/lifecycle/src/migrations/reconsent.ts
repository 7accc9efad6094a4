import {
  appendConnectionEvent,
  findConnectionForUpdate,
  updateConnection,
  type Connection,
  type ProviderMigration,
} from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { recordMigrationOutcome } from '../migration-outcomes/resolve.js';
import type { MigrateOutcome } from './outcome.js';

/**
 * `reconsent` for one connection: it keeps working on its old grant, and its backend is told
 * to ask the user (`connection.migration_requested`, `data.to`, never a URL: the backend
 * makes the link with `POST /v1/links {connectionId, provider: to}` while the user is there).
 * The item waits as `awaiting_consent` until the link completes or the sunset passes.
 */
export async function requestConsent(
  ctx: Pick<LifecycleContext, 'db' | 'metrics'>,
  migration: ProviderMigration,
  connection: Connection,
): Promise<MigrateOutcome> {
  const requestedAt = new Date();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const current = await findConnectionForUpdate(trx, connection.id);
    if (current?.provider !== migration.from) {
      await recordMigrationOutcome(
        trx,
        ctx.metrics,
        migration.id,
        connection.id,
        'skipped',
        'moved_elsewhere',
      );
      return 'skipped' as const;
    }
    await updateConnection(trx, connection.id, {
      migrationTo: migration.to,
      migrationRequestedAt: requestedAt,
    });
    await appendConnectionEvent(trx, current, {
      type: 'connection.migration_requested',
      data: {
        status: current.status,
        to: migration.to,
        migrationId: migration.id,
        requestedAt: requestedAt.toISOString(),
      },
    });
    await recordMigrationOutcome(trx, ctx.metrics, migration.id, connection.id, 'awaiting_consent');
    return 'awaiting_consent' as const;
  });
  return { status: 'decided', outcome };
}

import type { DbExecutor, MigrationMode } from '@tokenlane/db';
import { sql } from 'kysely';

/**
 * Decides every item of a dry run from the connection rows alone, in one statement, and
 * touches no connection and no provider: what a real run would do first.
 * - `token_exchange`: an active or degraded connection holding OAuth 1.0a credentials would be
 *   exchanged (`migrated`); others are `skipped` with the reason;
 * - `reconsent`: an active or degraded connection would be asked (`awaiting_consent`).
 * A refusal at the provider cannot be foreseen: a real run may move some to `reauth_required`.
 */
export async function dryRunMigration(
  trx: DbExecutor,
  migrationId: string,
  mode: MigrationMode,
): Promise<void> {
  const ready =
    mode === 'token_exchange'
      ? sql`c.status in ('active', 'degraded') and c.access_token_enc is not null and c.token_secret_enc is not null`
      : sql`c.status in ('active', 'degraded')`;
  const success = mode === 'token_exchange' ? 'migrated' : 'awaiting_consent';
  await sql`update migration_items i
    set outcome = case when ${ready} then ${success} else 'skipped' end,
        detail = case when ${ready} then 'dry_run'
                      when c.status = 'reauth_required' then 'not_active'
                      else 'no_credentials' end,
        updated_at = now()
    from connections c
    where c.id = i.connection_id and i.migration_id = ${migrationId}::uuid`.execute(trx);
}

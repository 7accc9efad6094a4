import { updateConnection, type RefreshCandidate } from '@tokenlane/db';
import type { ProviderDefinition } from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { resolveOpenMigration } from '../migration-outcomes/resolve.js';
import { requireReauth, type ReauthRequired } from './relink.js';

/**
 * The provider is gone (410 Gone, or its sunset passed): the connection needs its user,
 * `reauth_required` / `provider_retired`, the event naming the successor to link. A
 * migration still waiting for this connection records that outcome too.
 */
export async function retireConnection(
  ctx: Pick<LifecycleContext, 'db' | 'metrics'>,
  connection: RefreshCandidate,
  provider: Pick<ProviderDefinition, 'successor'>,
  expectedVersion?: number,
): Promise<ReauthRequired> {
  const extra = provider.successor === undefined ? {} : { successor: provider.successor };
  const result = await requireReauth(ctx, connection, 'provider_retired', expectedVersion, extra);
  if (result.status === 'reauth_required') {
    await resolveOpenMigration(ctx, connection.id, 'reauth_required', 'provider_retired');
    // The request is answered by the retirement: the re-link (to the successor) is what is left.
    if (connection.migrationTo !== null) {
      await updateConnection(ctx.db, connection.id, {
        migrationTo: null,
        migrationRequestedAt: null,
      });
    }
  }
  return result;
}

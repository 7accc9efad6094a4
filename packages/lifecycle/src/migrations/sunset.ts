import { findLiveConnectionsOf } from '@tokenlane/db';
import { isRetired } from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { retireConnection } from '../tokens/retire.js';

/**
 * The sunset pass, run with every sweep: connections still active at a provider whose
 * `sunsetAt` has passed move to `reauth_required` / `provider_retired` (naming the successor)
 * without a call to the provider, including OAuth 1.0a ones that never refresh and those a
 * reconsent migration still waits for. At most `limit` per run; the next sweep takes the rest.
 */
export async function retireSunsetConnections(
  ctx: Pick<LifecycleContext, 'db' | 'providers' | 'metrics' | 'logger'>,
  options: { readonly limit?: number; readonly now?: Date } = {},
): Promise<{ retired: number }> {
  const now = options.now ?? new Date();
  let budget = options.limit ?? 500;
  let retired = 0;
  for (const provider of ctx.providers.list()) {
    if (budget <= 0 || !isRetired(provider, now)) continue;
    const connections = await findLiveConnectionsOf(ctx.db, provider.id, budget);
    budget -= connections.length;
    for (const connection of connections) {
      const result = await retireConnection(ctx, connection, provider);
      if (result.status === 'reauth_required') retired += 1;
    }
  }
  if (retired > 0) ctx.logger.info({ retired }, 'connections of retired providers need a re-link');
  return { retired };
}

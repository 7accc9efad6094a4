import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { LifecycleError } from '../errors.js';
import { revokeJob, type RevokeReason } from './revoke.js';

/**
 * Asks for a connection's revocation (`DELETE /v1/connections/:id`, the console's revoke): its
 * single `revoke` job, which revokes at the provider with retries and then wipes the tokens
 * either way. A revocation already under way has the same job id, so it is joined, not
 * repeated; an already revoked connection is accepted and nothing changes.
 */
export async function requestRevoke(
  ctx: Pick<LifecycleContext, 'db' | 'queues'>,
  id: ConnectionId,
  reason: Exclude<RevokeReason, 'provider_notice'>,
): Promise<ConnectionId> {
  const connection = await findConnection(ctx.db, id);
  if (connection === undefined) {
    throw new LifecycleError('connection_not_found', 'connection not found');
  }
  await ctx.queues.enqueue(revokeJob, { connectionId: connection.id, reason });
  return connection.id;
}

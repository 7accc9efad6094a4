import type { ConnectionId } from '@tokenlane/core';
import { revokeConnection } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/**
 * `revoke`: revoke at the provider (unless the provider itself sent the notice), then wipe
 * (see lifecycle's revokeConnection). Transient provider failures go back to BullMQ's
 * backoff; on the last attempt the tokens are wiped without the provider's confirmation.
 */
export function revokeHandler(rt: Runtime): JobHandlers['revoke'] {
  return ({ connectionId, reason }, job) =>
    revokeConnection(rt, connectionId as ConnectionId, {
      reason,
      callProvider: reason !== 'provider_notice',
      finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    });
}

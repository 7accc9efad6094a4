import type { ConnectionId } from '@tokenlane/core';
import { resolvePendingIdentity } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/**
 * `identity`: ask the provider again who the user of a connection with a pending identity is
 * (see lifecycle's resolvePendingIdentity). A provider failure completes the job, its next
 * look-up persisted on the row for the sweeper; only our own failures throw, for the retry.
 */
export function identityHandler(rt: Runtime): JobHandlers['identity'] {
  return ({ connectionId }) => resolvePendingIdentity(rt, connectionId as ConnectionId);
}

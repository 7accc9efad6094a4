import type { ConnectionId } from '@tokenlane/core';
import { reauthConnection } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/** `reauth`: a backend saw a 401; force one refresh of that token, else ask for re-auth. */
export function reauthHandler(rt: Runtime): JobHandlers['reauth'] {
  return ({ connectionId, tokenVersion }) =>
    reauthConnection(rt, connectionId as ConnectionId, tokenVersion);
}

import type { LinkSessionId } from '@tokenlane/core';
import { exchangeLink } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/** The queues this worker serves so far; each handler is a lifecycle operation. */
export type ServedQueue = 'exchange';

export function createHandlers(rt: Runtime): Pick<JobHandlers, ServedQueue> {
  return {
    exchange: ({ linkSessionId }) => exchangeLink(rt, linkSessionId as LinkSessionId),
  };
}

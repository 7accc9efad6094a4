import type { LinkSessionId } from '@tokenlane/core';
import { exchangeLink } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/** `exchange`: trade a link session's code for tokens (see lifecycle's exchangeLink). */
export function exchangeHandler(rt: Runtime): JobHandlers['exchange'] {
  return ({ linkSessionId }) => exchangeLink(rt, linkSessionId as LinkSessionId);
}

import { relayOutbox } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/** `outbox`: relay undelivered events to the `notify` queue (see lifecycle's relayOutbox). */
export function outboxHandler(rt: Runtime): JobHandlers['outbox'] {
  return () => relayOutbox(rt);
}

import { sweepDueRefreshes } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/**
 * `sweep`, run by a job scheduler every TOKENLANE_SWEEP_INTERVAL_MS: enqueue the refreshes
 * due within two intervals, each delayed to its due time.
 */
export function sweepHandler(rt: Runtime): JobHandlers['sweep'] {
  return () => sweepDueRefreshes(rt, { lookAheadMs: 2 * rt.config.sweepIntervalMs });
}

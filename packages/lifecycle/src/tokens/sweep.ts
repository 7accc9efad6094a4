import { findDueRefreshes } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { refreshJob } from './refresh.job.js';

export interface SweepOptions {
  /** Enqueue refreshes due within this window, delayed to their due time. */
  readonly lookAheadMs: number;
  /** At most this many per sweep; the rest are found by the next one. */
  readonly limit?: number;
  readonly now?: Date;
}

/**
 * The refresh sweeper: finds connections due within the look-ahead (an index scan of the
 * partial index) and adds their `refresh` jobs in bulk, each delayed to its due time. Job ids
 * are per connection, so overlapping sweeps and several worker replicas add each job once;
 * Redis holds only what is due inside the window.
 */
export async function sweepDueRefreshes(
  ctx: Pick<LifecycleContext, 'db' | 'queues'>,
  options: SweepOptions,
): Promise<{ enqueued: number }> {
  const now = options.now ?? new Date();
  const due = await findDueRefreshes(
    ctx.db,
    new Date(now.getTime() + options.lookAheadMs),
    options.limit ?? 20_000,
  );
  if (due.length === 0) return { enqueued: 0 };
  await ctx.queues.enqueueBulk(
    refreshJob,
    due.map(({ id, refreshDueAt }) => ({
      payload: { connectionId: id, trigger: 'schedule' as const },
      options: { delay: Math.max(0, refreshDueAt.getTime() - now.getTime()) },
    })),
  );
  return { enqueued: due.length };
}

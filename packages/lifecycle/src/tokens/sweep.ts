import { randomUUID } from 'node:crypto';
import { claimDueRefreshes, type ClaimedRefresh } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { BATCH_WINDOW_MS, REFRESH_BATCH_MAX, refreshBatchJob } from './refresh-batch.job.js';

export interface SweepOptions {
  /** Claim refreshes due within this window, batched and delayed to their due time. */
  readonly lookAheadMs: number;
  /** At most this many per sweep; the rest are found by the next one. */
  readonly limit?: number;
  readonly now?: Date;
}

/**
 * The refresh sweeper: claims connections due within the look-ahead (an index scan of the
 * partial index; the refresh lease, so overlapping sweeps and worker replicas claim each row
 * once) and adds `refresh-batch` jobs in bulk, each of one provider's rows due within
 * {@link BATCH_WINDOW_MS} of each other and delayed to the first one's due time. Redis holds
 * only what is due inside the window; a batch lost with Redis costs its rows one lease.
 */
export async function sweepDueRefreshes(
  ctx: Pick<LifecycleContext, 'db' | 'queues' | 'config'>,
  options: SweepOptions,
): Promise<{ enqueued: number; batches: number }> {
  const now = options.now ?? new Date();
  const claim = randomUUID();
  const due = await claimDueRefreshes(ctx.db, {
    until: new Date(now.getTime() + options.lookAheadMs),
    limit: options.limit ?? 20_000,
    owner: claim,
    leaseMs: ctx.config.refreshLeaseMs,
  });
  if (due.length === 0) return { enqueued: 0, batches: 0 };
  const batches = batchesOf(due);
  // Delays count from now, not from the sweep's start: claiming thousands of rows takes a while.
  const enqueuedAt = Date.now();
  await ctx.queues.enqueueBulk(
    refreshBatchJob,
    batches.map((rows) => ({
      payload: { claim, ids: rows.map((row) => row.id) },
      options: { delay: Math.max(0, firstDue(rows) - enqueuedAt) },
    })),
  );
  return { enqueued: due.length, batches: batches.length };
}

const firstDue = (rows: readonly ClaimedRefresh[]) =>
  Math.min(...rows.map((row) => row.refreshDueAt.getTime()));

/** Rows (in due order) split per provider into runs of due times at most a window apart. */
export function batchesOf(due: readonly ClaimedRefresh[]): ClaimedRefresh[][] {
  const open = new Map<string, ClaimedRefresh[]>();
  const batches: ClaimedRefresh[][] = [];
  for (const row of due) {
    let batch = open.get(row.provider);
    const first = batch?.[0];
    if (
      batch === undefined ||
      first === undefined ||
      batch.length >= REFRESH_BATCH_MAX ||
      row.refreshDueAt.getTime() - first.refreshDueAt.getTime() > BATCH_WINDOW_MS
    ) {
      batch = [];
      open.set(row.provider, batch);
      batches.push(batch);
    }
    batch.push(row);
  }
  return batches;
}

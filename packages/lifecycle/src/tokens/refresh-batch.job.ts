import type { ConnectionId } from '@tokenlane/core';
import { startClaimedRefreshes } from '@tokenlane/db';
import { defineJob } from '@tokenlane/queue';
import { z } from 'zod';
import type { LifecycleContext } from '../context.js';
import { connectionIdSchema } from '../payload-ids.js';
import type { RefreshOutcome } from './outcomes.js';
import { LeaseRun } from './lease-run.js';
import { refreshLeased, type RefreshDeps } from './refresh.js';
import { refreshJob, WAKE_SPREAD_MS } from './refresh.job.js';
import { RowSlots } from './row-slots.js';

/** At most this many connections per batch: one sweep claim's rows, chunked. */
export const REFRESH_BATCH_MAX = 100;

/**
 * How far apart the due times of one batch's rows may be. The batch starts at its first row's
 * due time, so its last row is refreshed at most this much early (due times already sit well
 * before expiry), and none late.
 */
export const BATCH_WINDOW_MS = 250;

/** What a batch uses: a refresh's dependencies, and the queues to hand deferred rows on. */
export type RefreshBatchDeps = RefreshDeps & Pick<LifecycleContext, 'queues'>;

/** How many rows a batch ended with each way (counts only: a job's return value is kept). */
export interface RefreshBatchResult {
  readonly started: number;
  readonly refreshed: number;
  readonly deferred: number;
  readonly other: number;
}

/**
 * `refresh-batch`: the scheduled refreshes of up to {@link REFRESH_BATCH_MAX} due connections
 * of one provider, claimed by the sweep under one claim id (docs/architecture.md, "The refresh
 * lease"). One job, one row read and one lease write for the batch, instead of a BullMQ job per
 * connection: BullMQ's per-job cost was a fifth of a refresh's CPU. Each row is refreshed as
 * the connection's own job would, with the same budget, breaker, compare-and-set and events.
 * - The run starts the rows under its own id ({@link LeaseRun}); a row a caller's refresh took
 *   meanwhile is not this batch's any more, and is left alone.
 * - A row the budget or breaker defers goes to the connection's own `refresh` job, delayed.
 * - A failure of our own keeps that row's lease started and fails the job; once the lease
 *   lapses, the sweep claims the row again, as interrupted. A retry of the job (or a second
 *   run after a lost lock) starts only rows no run has started: never one a live run holds.
 */
export const refreshBatchJob = defineJob({
  name: 'refresh-batch',
  payload: z.strictObject({
    claim: z.uuid(),
    ids: z.array(connectionIdSchema).min(1).max(REFRESH_BATCH_MAX),
  }),
  // A claim's rows are split into batches with no row in two: its first row names the batch.
  jobId: (p) => `${p.claim}-${p.ids[0]}`,
  attempts: 8,
  backoff: { baseMs: 2_000, capMs: 60_000 },
  // Outcomes live on the rows, in events and metrics; a failed batch stays a week to be seen.
  retention: { completed: true, failed: { age: 7 * 86_400, count: 1_000 } },
  // A dead worker's rows come back when their leases lapse (TOKENLANE_REFRESH_LEASE_MS).
  lockMs: 10_000,
  // The worker pool sets it from TOKENLANE_REFRESH_CONCURRENCY (rows, not jobs: RowSlots).
  concurrency: 10,
  async run(ctx: RefreshBatchDeps, { claim, ids }): Promise<RefreshBatchResult> {
    const run = new LeaseRun(ctx);
    const sentAt = Date.now();
    const rows = await startClaimedRefreshes(ctx.db, {
      claim,
      run: run.id,
      ids,
      leaseMs: ctx.config.refreshLeaseMs,
    });
    if (rows.length === 0) return { started: 0, refreshed: 0, deferred: 0, other: 0 };
    run.hold(
      rows.map((row) => row.id),
      sentAt,
    );
    const slots = rowSlots(ctx.config.refreshConcurrency);
    const ended = await Promise.all(
      rows.map((row) =>
        slots
          .run(() =>
            refreshLeased(ctx, row, {
              trigger: 'schedule',
              interrupted: row.interrupted,
              earlyMs: BATCH_WINDOW_MS,
              holds: () => run.holds(row.id),
            }),
          )
          .then(
            (outcome) => ({ id: row.id, outcome }),
            (error: unknown) => ({ id: row.id, error }),
          ),
      ),
    );
    const outcomes = ended.flatMap((end) => ('outcome' in end ? [end] : []));
    const deferred = outcomes.flatMap(({ id, outcome }) =>
      outcome.status === 'deferred' ? [{ id, retryInMs: outcome.retryInMs }] : [],
    );
    // Their own jobs exist before the leases are held back for them; without them, the rows
    // are freed for the sweep instead.
    const handedOver = await handToOwnJobs(ctx, deferred).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    // Rows that failed on our side keep their leases started until they lapse.
    await run.release(outcomes.map((end) => ({ ...end, heldBack: handedOver === undefined })));
    if (handedOver !== undefined) throw handedOver.error;
    const failure = ended.find((end) => 'error' in end);
    if (failure !== undefined) throw failure.error;
    return {
      started: rows.length,
      refreshed: outcomes.filter(({ outcome }) => outcome.status === 'refreshed').length,
      deferred: deferred.length,
      other: outcomes.filter(({ outcome }) => !counted.has(outcome.status)).length,
    };
  },
});

/**
 * Batch jobs one worker process runs at once for a refresh width of `rows`: enough that
 * batches a quarter full fill every slot. Fuller batches wait for slots with their locks and
 * leases renewed; more jobs would only take work another replica could start.
 */
export function refreshBatchConcurrency(rows: number): number {
  return Math.max(2, Math.ceil(rows / (REFRESH_BATCH_MAX / 4)));
}

const counted = new Set<RefreshOutcome['status']>(['refreshed', 'deferred']);

/** What a `refresh-batch` job carries. */
export type RefreshBatchPayload = z.output<typeof refreshBatchJob.payload>;

const slotsByWidth = new Map<number, RowSlots>();

/** Scheduled refreshes this process runs now, across its batches (for the bench and gauges). */
export function refreshesInFlight(): number {
  let running = 0;
  for (const slots of slotsByWidth.values()) running += slots.inUse;
  return running;
}

/** The process's row slots (one width per process; the map only serves tests with several). */
function rowSlots(width: number): RowSlots {
  let slots = slotsByWidth.get(width);
  if (slots === undefined) {
    slots = new RowSlots(width);
    slotsByWidth.set(width, slots);
  }
  return slots;
}

/**
 * Deferred rows wait in their connection's own `refresh` job, delayed past the wait (spread,
 * so they do not wake in one burst); their leases are held back for it until then.
 */
async function handToOwnJobs(
  ctx: Pick<LifecycleContext, 'queues'>,
  deferred: readonly { id: ConnectionId; retryInMs: number }[],
): Promise<void> {
  if (deferred.length === 0) return;
  await ctx.queues.enqueueBulk(
    refreshJob,
    deferred.map(({ id, retryInMs }) => ({
      payload: { connectionId: id, trigger: 'schedule' as const },
      options: { delay: retryInMs + Math.floor(Math.random() * WAKE_SPREAD_MS) },
    })),
  );
}

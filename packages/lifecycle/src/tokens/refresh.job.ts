import { defineJob } from '@tokenlane/queue';
import { z } from 'zod';
import { connectionIdSchema } from '../payload-ids.js';
import { REFRESH_TRIGGERS } from './outcomes.js';
import { refreshConnection, type RefreshDeps } from './refresh.js';

/** Spread of deferred jobs waking together, so they do not arrive at Redis in one burst. */
export const WAKE_SPREAD_MS = 2_000;

/**
 * `refresh`: the connection's own refresh job, one per connection at a time (its job id): a
 * caller's refresh (token API, a 401, an operator), or a scheduled one a batch deferred. It
 * takes the connection's refresh lease like any run (docs/architecture.md, "The refresh
 * lease"). A refresh the provider's rate limit or breaker defers goes back to waiting, costing
 * no attempt. A provider refusal completes the job: its next attempt is on the row
 * (`refresh_due_at`, found by the sweeper), so backoff persists across jobs. Only our own
 * failures (database, a bug) throw, for the queue to retry.
 */
export const refreshJob = defineJob({
  name: 'refresh',
  payload: z.strictObject({
    connectionId: connectionIdSchema,
    trigger: z.enum(REFRESH_TRIGGERS),
    // The token version the caller saw: a job added after that version was already
    // replaced finds nothing to do, so a late joiner never causes a second refresh.
    tokenVersion: z.int().nonnegative().optional(),
  }),
  jobId: (p) => `refresh-${p.connectionId}`,
  // These attempts are for failures of our own (database, Redis): a restart of either is
  // ridden out.
  attempts: 8,
  backoff: { baseMs: 2_000, capMs: 60_000 },
  // Removed at once either way: a lingering job would block the next refresh's job id.
  // Outcomes live on the connection row, in events and in metrics.
  retention: { completed: true, failed: true },
  // A dead worker's refresh is taken back within seconds: token callers join it and wait.
  lockMs: 10_000,
  // Refreshes are I/O bound (one provider call, one small transaction). The worker pool uses
  // TOKENLANE_REFRESH_CONCURRENCY instead (docs/operations.md, "Sizing the refresh workers").
  concurrency: 50,
  async run(ctx: RefreshDeps, { connectionId, trigger, tokenVersion }, control) {
    const outcome = await refreshConnection(ctx, connectionId, {
      trigger,
      ...(tokenVersion === undefined ? {} : { expectedVersion: tokenVersion }),
    });
    if (outcome.status === 'deferred') {
      await control.deferUntil(
        Date.now() + outcome.retryInMs + Math.floor(Math.random() * WAKE_SPREAD_MS),
      );
    }
    return outcome;
  },
});

/** What a `refresh` job carries. */
export type RefreshPayload = z.output<typeof refreshJob.payload>;

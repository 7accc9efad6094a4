import { findDueIdentityLookups } from '@tokenlane/db';
import { defineJob } from '@tokenlane/queue';
import { z } from 'zod';
import type { LifecycleContext } from '../context.js';
import { connectionIdSchema } from '../payload-ids.js';
import { resolvePendingIdentity, type LookupDeps } from './identity.js';

/**
 * `identity`: ask the provider again who a linked user is: a link completed while the
 * provider's identity look-up failed, and the connection's provider user id is pending (see
 * {@link resolvePendingIdentity}). A provider failure completes the job: the next look-up is
 * persisted on the row (identity_next_lookup_at, backing off as a failing refresh does) and
 * {@link sweepIdentityLookups} adds the job again when it is due.
 */
export const identityJob = defineJob({
  name: 'identity',
  payload: z.strictObject({ connectionId: connectionIdSchema }),
  jobId: (p) => `identity-${p.connectionId}`,
  // These attempts are for failures of our own (database).
  attempts: 5,
  backoff: { baseMs: 2_000, capMs: 60_000 },
  // Removed at once either way: a lingering job would block the next look-up's job id.
  retention: { completed: true, failed: true },
  lockMs: 15_000,
  // One provider call each, rare (a link whose identity look-up failed).
  concurrency: 5,
  run: (ctx: LookupDeps, { connectionId }) => resolvePendingIdentity(ctx, connectionId),
});

/**
 * Adds the `identity` jobs of the pending identities due within the look-ahead, each delayed
 * to its due time (the refresh sweeper's other half). Postgres holds the schedule, so a job
 * Redis lost is added again by the next sweep; job ids are per connection, so overlapping
 * sweeps add each once.
 */
export async function sweepIdentityLookups(
  ctx: Pick<LifecycleContext, 'db' | 'queues'>,
  options: { readonly lookAheadMs: number; readonly limit?: number; readonly now?: Date },
): Promise<{ identityLookups: number }> {
  const now = options.now ?? new Date();
  const due = await findDueIdentityLookups(
    ctx.db,
    new Date(now.getTime() + options.lookAheadMs),
    options.limit ?? 5_000,
  );
  if (due.length === 0) return { identityLookups: 0 };
  await ctx.queues.enqueueBulk(
    identityJob,
    due.map(({ id, nextLookupAt }) => ({
      payload: { connectionId: id },
      options: { delay: Math.max(0, nextLookupAt.getTime() - now.getTime()) },
    })),
  );
  return { identityLookups: due.length };
}

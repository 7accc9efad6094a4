import { defineJob } from '@tokenlane/queue';
import type { LifecycleContext } from './context.js';
import { sweepIdentityLookups } from './links/identity.job.js';
import { retireSunsetConnections } from './migrations/sunset.js';
import { RECURRING } from './payload-ids.js';
import { noticeRefreshTokenExpiry } from './tokens/refresh-token-expiry.js';
import { sweepDueRefreshes } from './tokens/sweep.js';

/**
 * `sweep`, a recurring job every TOKENLANE_SWEEP_INTERVAL_MS: enqueue the refreshes and the
 * look-ups of pending identities due within two intervals, each delayed to its due time; then
 * move the connections of providers past their sunset to `reauth_required`
 * (`provider_retired`), and announce (or end) refresh tokens that expire on their own. It
 * spans the tokens, links and migrations folders, so it sits above them.
 */
export const sweepJob = defineJob({
  ...RECURRING,
  name: 'sweep',
  jobId: () => 'sweep',
  lockMs: 30_000,
  schedule: { everyMs: (ctx: Pick<LifecycleContext, 'config'>) => ctx.config.sweepIntervalMs },
  async run(
    ctx: Pick<LifecycleContext, 'db' | 'providers' | 'queues' | 'metrics' | 'logger' | 'config'>,
  ) {
    const lookAheadMs = 2 * ctx.config.sweepIntervalMs;
    const swept = await sweepDueRefreshes(ctx, { lookAheadMs });
    const identities = await sweepIdentityLookups(ctx, { lookAheadMs });
    const { retired } = await retireSunsetConnections(ctx);
    const expiry = await noticeRefreshTokenExpiry(ctx);
    // Counts only: a run's return value is kept and sent on BullMQ's event stream.
    return { ...swept, ...identities, retired, ...expiry };
  },
});

import {
  noticeRefreshTokenExpiry,
  retireSunsetConnections,
  sweepDueRefreshes,
  sweepIdentityLookups,
} from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/**
 * `sweep`, run by a job scheduler every TOKENLANE_SWEEP_INTERVAL_MS: enqueue the refreshes
 * and the look-ups of pending identities due within two intervals, each delayed to its due
 * time; then move the connections of providers past their sunset to `reauth_required`
 * (`provider_retired`), and announce (or end) refresh tokens that expire on their own.
 */
export function sweepHandler(rt: Runtime): JobHandlers['sweep'] {
  return async () => {
    const lookAheadMs = 2 * rt.config.sweepIntervalMs;
    const swept = await sweepDueRefreshes(rt, { lookAheadMs });
    const identities = await sweepIdentityLookups(rt, { lookAheadMs });
    const { retired } = await retireSunsetConnections(rt);
    const expiry = await noticeRefreshTokenExpiry(rt);
    return { ...swept, ...identities, retired, ...expiry };
  };
}

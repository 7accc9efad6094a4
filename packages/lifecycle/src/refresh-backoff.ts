import type { FailurePolicy } from './policy.js';

/**
 * When a connection whose refresh failed is tried next: never sooner than the floor, then
 * exponential with full jitter above it, capped (6 h by default), and never sooner than the
 * provider's `Retry-After`. Persisted as the row's `refresh_due_at`, so the sweeper, a retry
 * and a caller all wait for it, across jobs, replicas and restarts.
 * @returns the wait after the `attempt`-th failure in a row (1-based)
 */
export function refreshBackoffMs(
  policy: FailurePolicy,
  attempt: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const { backoffFloorMs: floor, backoffBaseMs: base, backoffCapMs: cap } = policy;
  const ceiling = Math.min(cap - floor, base * 2 ** Math.min(Math.max(0, attempt - 1), 30));
  const wait = floor + Math.floor(random() * ceiling);
  return Math.max(wait, retryAfterMs ?? 0);
}

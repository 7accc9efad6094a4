/**
 * When a connection whose refresh failed is tried next: never sooner than `floorMs`, then
 * exponential with full jitter above that floor, capped at 6 h, and never sooner than the
 * provider's `Retry-After`. Persisted as the row's `refresh_due_at`, so the sweeper, a retry
 * and a caller all wait for it, across jobs, replicas and restarts.
 */
export const REFRESH_BACKOFF = { floorMs: 20_000, baseMs: 30_000, capMs: 6 * 3_600_000 } as const;

/** The wait after the `attempt`-th failure in a row (1-based). */
export function refreshBackoffMs(
  attempt: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const { floorMs, baseMs, capMs } = REFRESH_BACKOFF;
  const ceiling = Math.min(capMs - floorMs, baseMs * 2 ** Math.min(Math.max(0, attempt - 1), 30));
  const wait = floorMs + Math.floor(random() * ceiling);
  return Math.max(wait, retryAfterMs ?? 0);
}

/** Where in a token's lifetime the proactive refresh happens: [from, to] fractions, jittered. */
export const REFRESH_WINDOW = { from: 0.75, to: 0.85 } as const;
/** Never plan a refresh closer than this to expiry (clock skew, queue latency, retries). */
export const MIN_MARGIN_MS = 30_000;

/**
 * When to refresh a token issued at `issuedAt` that expires at `expiresAt`: at a uniformly
 * jittered point 75–85 % into its lifetime (so a wave of links made together does not refresh
 * together), and at least 30 s before expiry. A token without expiry is never scheduled.
 */
export function refreshDueAt(
  issuedAt: Date,
  expiresAt: Date | undefined | null,
  random: () => number = Math.random,
): Date | null {
  if (expiresAt === undefined || expiresAt === null) return null;
  const lifetime = expiresAt.getTime() - issuedAt.getTime();
  if (lifetime <= 0) return issuedAt;
  const fraction = REFRESH_WINDOW.from + (REFRESH_WINDOW.to - REFRESH_WINDOW.from) * random();
  const jittered = issuedAt.getTime() + lifetime * fraction;
  const latest = expiresAt.getTime() - Math.min(MIN_MARGIN_MS, lifetime / 2);
  return new Date(Math.min(jittered, latest));
}

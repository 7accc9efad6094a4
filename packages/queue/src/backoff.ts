/** Options of the exponential backoff used by every retrying tokenlane job. */
export interface BackoffOptions {
  /** First retry's ceiling, in ms. */
  baseMs: number;
  /** No retry waits longer than this. */
  capMs: number;
}

/** Something that failed and may say when to come back (a 429's or 503's `Retry-After`). */
interface MaybeRetryAfter {
  retryAfterMs?: number | undefined;
}

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(cap, base·2^(attempt-1))],
 * raised to the provider's `Retry-After` when it sent one (which may exceed the cap: the
 * provider's word wins). Full jitter spreads a wave of failures instead of retrying in lockstep.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function fullJitterBackoff(
  attemptsMade: number,
  options: BackoffOptions,
  error?: unknown,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attemptsMade - 1);
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(exponent, 30));
  const jittered = Math.floor(random() * ceiling);
  const retryAfter = retryAfterOf(error);
  return retryAfter === undefined ? jittered : Math.max(jittered, retryAfter);
}

function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as MaybeRetryAfter).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

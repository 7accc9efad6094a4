/** RFC 9110 §9.2.2: a repeated request has the effect of one. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** At most this many retries may be asked for (`Tokenlane-Retries`). */
export const MAX_RETRIES = 5;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 10_000;

/** Whether an answer is worth another try: the provider was busy or failing, not refusing. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function idempotent(method: string): boolean {
  return IDEMPOTENT.has(method);
}

/** `Retry-After` as ms (delta-seconds or an HTTP date, RFC 9110 §10.2.3), or 0. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return 0;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

/**
 * The wait before retry `attempt` (0-based): full jitter over an exponential ceiling (AWS's
 * "Exponential Backoff and Jitter"), and never sooner than the provider's `Retry-After`.
 */
export function retryDelayMs(attempt: number, retryAfter: number, random = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.max(retryAfter, Math.floor(random() * ceiling));
}

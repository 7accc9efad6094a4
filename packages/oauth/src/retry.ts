import { setTimeout as sleep } from 'node:timers/promises';
import { assertNever, ProviderError } from './errors.js';
import { failedBeforeSending, type CallOptions, type RetryPolicy } from './http.js';

/** Short in-call retries only; longer backoff belongs to the caller's BullMQ attempts. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 2,
  minTimeoutMs: 200,
  maxTimeoutMs: 1_000,
  maxRetryAfterMs: 5_000,
};

/**
 * `idempotent` (revocation, request tokens, registration): retry any transient failure.
 * `single-use` (authorization code, PIN, OAuth 1.0a verifier): the first request the provider
 * saw may have spent it, so only failures before sending are retried.
 * `refresh`: one retry at most, and only of a request that never reached the provider (a
 * connection refused or reset before sending). A lost answer may have spent a rotating refresh
 * token, and transient answers (5xx, 429) are the lifecycle's to back off from, persisted across
 * jobs: retrying them here too would multiply the requests a struggling provider sees.
 */
export type RetryMode = 'idempotent' | 'single-use' | 'refresh';

function mayResend(mode: RetryMode, error: ProviderError): boolean {
  switch (mode) {
    case 'idempotent':
      return true;
    case 'single-use':
    case 'refresh':
      return failedBeforeSending(error);
    default:
      return assertNever(mode);
  }
}

/**
 * Runs `attempt`, and again after a transient failure the mode allows to re-send: exponential
 * backoff with jitter, or the provider's `Retry-After` up to the policy's cap. A plain loop:
 * nearly every call succeeds at once, and this wraps every refresh.
 */
export async function withRetry<T>(
  mode: RetryMode,
  options: CallOptions,
  attempt: () => Promise<T>,
): Promise<T> {
  if (options.retry === false) return attempt();
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const retries = mode === 'refresh' ? Math.min(1, policy.retries) : policy.retries;
  for (let retry = 0; ; retry += 1) {
    options.signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      const wait = retry < retries ? waitBeforeRetry(mode, policy, error, retry) : undefined;
      if (wait === undefined) throw error;
      await sleep(wait, undefined, { signal: options.signal });
    }
  }
}

/** How long to wait before re-sending after `error`, or undefined when it must not be re-sent. */
function waitBeforeRetry(
  mode: RetryMode,
  policy: RetryPolicy,
  error: unknown,
  retry: number,
): number | undefined {
  if (!(error instanceof ProviderError) || !error.retryable) return undefined;
  if (!mayResend(mode, error)) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs > policy.maxRetryAfterMs ? undefined : error.retryAfterMs;
  }
  // A 429 without Retry-After: the caller's own backoff knows better than a guess here.
  if (error.code === 'rate_limited') return undefined;
  const backoff = policy.minTimeoutMs * 2 ** retry * (1 + Math.random());
  return Math.min(backoff, policy.maxTimeoutMs);
}

import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
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

/** Runs `attempt` with p-retry, honoring `Retry-After` up to the policy's cap. */
export async function withRetry<T>(
  mode: RetryMode,
  options: CallOptions,
  attempt: () => Promise<T>,
): Promise<T> {
  if (options.retry === false) return attempt();
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  return pRetry(attempt, {
    retries: mode === 'refresh' ? Math.min(1, policy.retries) : policy.retries,
    minTimeout: policy.minTimeoutMs,
    maxTimeout: policy.maxTimeoutMs,
    randomize: true,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    shouldRetry: async ({ error }) => {
      if (!(error instanceof ProviderError) || !error.retryable) return false;
      if (!mayResend(mode, error)) return false;
      if (error.code === 'rate_limited' && error.retryAfterMs === undefined) return false;
      if (error.retryAfterMs === undefined) return true;
      if (error.retryAfterMs > policy.maxRetryAfterMs) return false;
      await sleep(error.retryAfterMs, undefined, { signal: options.signal });
      return true;
    },
  });
}

/** What the token operations return: kept apart so the failure policy and the refresh share them without importing each other. */
import type { ReauthReason, RefusalClass } from '@tokenlane/core';
import type { ProviderErrorCode } from '@tokenlane/providers';

/** Who asked for a refresh: the sweeper's schedule, the token API, a 401 report, an operator. */
export const REFRESH_TRIGGERS = ['schedule', 'api', 'reauth', 'operator'] as const;
export type RefreshTrigger = (typeof REFRESH_TRIGGERS)[number];

/** What one refresh attempt did (ids and codes only: it is a job's return value). */
export type RefreshOutcome =
  | { readonly status: 'refreshed'; readonly tokenVersion: number }
  | {
      readonly status: 'skipped';
      /**
       * `in_flight`: another run holds the connection's refresh lease; `lease_lost`: this run's
       * lease lapsed before its provider call (the row is another run's now).
       */
      readonly reason:
        'not_found' | 'not_refreshable' | 'not_due' | 'backing_off' | 'in_flight' | 'lease_lost';
    }
  /** Someone else rotated the tokens first: nothing to do. */
  | { readonly status: 'lost_race' }
  /** Not sent: the provider's rate limit or breaker says wait `retryInMs` (no attempt spent). */
  | {
      readonly status: 'deferred';
      readonly reason: 'rate_limited' | 'provider_unhealthy';
      readonly retryInMs: number;
    }
  /** Refused; the next attempt is persisted on the row (`refresh_due_at`). */
  | {
      readonly status: 'failed';
      readonly code: ProviderErrorCode;
      readonly refusal: RefusalClass;
      readonly nextAttemptAt: string;
    }
  | { readonly status: 'reauth_required'; readonly code: ReauthReason };

import type { Counter, Histogram } from 'prom-client';
import type { Metrics, WebhookDeliveryOutcome } from './metrics.js';

/** A lifecycle operation's result: its `status`, and a `code` when it carries one. */
export interface OutcomeLike {
  readonly status: string;
  readonly code?: string;
}

/** One operation being timed; the first `done` or `failed` records it, later calls do nothing. */
export interface Observation {
  /** Records the outcome (`outcome` label = its status) and returns it unchanged. */
  done<const T extends OutcomeLike>(outcome: T): T;
  /** Records a failed attempt (`outcome="failed"`) with its error code. */
  failed(code: string): void;
}

/** The `code` label when there is none: an empty label value would read as a missing label. */
export const NO_CODE = 'none';

function observation(
  total: Counter<'provider' | 'outcome' | 'code'>,
  duration: Histogram<'provider'>,
  provider: string,
  onDone: (outcome: OutcomeLike) => void = () => undefined,
): Observation {
  const stop = duration.startTimer({ provider });
  let recorded = false;
  const record = (outcome: string, code: string) => {
    if (recorded) return false;
    recorded = true;
    stop();
    total.inc({ provider, outcome, code });
    return true;
  };
  return {
    done(outcome) {
      if (record(outcome.status, outcome.code ?? NO_CODE)) onDone(outcome);
      return outcome;
    },
    failed(code) {
      record('failed', code);
    },
  };
}

/**
 * Starts timing one code exchange at `provider`: `tokenlane_exchange_duration_seconds` and
 * `tokenlane_exchange_total{provider,outcome,code}`.
 */
export function observeExchange(metrics: Metrics, provider: string): Observation {
  return observation(metrics.exchangeTotal, metrics.exchangeDuration, provider);
}

/**
 * Starts timing one refresh at `provider`: `tokenlane_refresh_duration_seconds`,
 * `tokenlane_refresh_total{provider,outcome,code}` and, when it ends `refreshed`,
 * `tokenlane_refresh_lead_time_seconds` (how long before `expiresAt` it happened).
 */
export function observeRefresh(
  metrics: Metrics,
  provider: string,
  expiresAt: Date | null,
  now: () => number = Date.now,
): Observation {
  return observation(metrics.refreshTotal, metrics.refreshDuration, provider, (outcome) => {
    if (outcome.status !== 'refreshed' || expiresAt === null) return;
    metrics.refreshLeadTime.observe({ provider }, (expiresAt.getTime() - now()) / 1000);
  });
}

/** Counts one webhook delivery attempt (`tokenlane_webhook_deliveries_total{outcome}`). */
export function observeWebhookDelivery(metrics: Metrics, outcome: WebhookDeliveryOutcome): void {
  metrics.webhookDeliveries.inc({ outcome });
}

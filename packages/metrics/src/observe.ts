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

// Each label set's child is resolved once per metric and kept: a refresh records three
// series, and every `labels()` call builds, checks and copies its label object anew.
const children = new WeakMap<object, Map<string, unknown>>();

/** The metric's child for `values` (its label values in order), resolved on first use. */
function child<T>(metric: object, values: readonly string[], resolve: () => T): T {
  let byLabels = children.get(metric);
  if (byLabels === undefined) {
    byLabels = new Map();
    children.set(metric, byLabels);
  }
  // A label value never holds NUL (provider ids, outcomes and codes are plain words).
  const key = values.join('\0');
  let found = byLabels.get(key) as T | undefined;
  if (found === undefined) {
    found = resolve();
    byLabels.set(key, found);
  }
  return found;
}

function observation(
  total: Counter<'provider' | 'outcome' | 'code'>,
  duration: Histogram<'provider'>,
  provider: string,
  onDone: (outcome: OutcomeLike) => void = () => undefined,
): Observation {
  const stop = child(duration, [provider], () => duration.labels(provider)).startTimer();
  let recorded = false;
  const record = (outcome: string, code: string) => {
    if (recorded) return false;
    recorded = true;
    stop();
    child(total, [provider, outcome, code], () => total.labels(provider, outcome, code)).inc();
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
    const leadTime = child(metrics.refreshLeadTime, [provider], () =>
      metrics.refreshLeadTime.labels(provider),
    );
    leadTime.observe((expiresAt.getTime() - now()) / 1000);
  });
}

/** Counts one webhook delivery attempt (`tokenlane_webhook_deliveries_total{outcome}`). */
export function observeWebhookDelivery(metrics: Metrics, outcome: WebhookDeliveryOutcome): void {
  metrics.webhookDeliveries.inc({ outcome });
}

export { WEBHOOK_DELIVERY_OUTCOMES, createMetrics } from './metrics.js';
export type {
  Collector,
  ConnectionCountRow,
  ProviderHealthRow,
  RateBudgetRow,
  CreateMetricsOptions,
  JobCountsSource,
  Metrics,
  WebhookDeliveryOutcome,
} from './metrics.js';
export { NO_CODE, observeExchange, observeRefresh, observeWebhookDelivery } from './observe.js';
export type { Observation, OutcomeLike } from './observe.js';

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A queue whose job counts `tokenlane_jobs` reports (a BullMQ `Queue` fits). */
export interface JobCountsSource {
  readonly name: string;
  getJobCounts(): Promise<Record<string, number>>;
}

/** One row of `tokenlane_connections` (db's `countConnectionsByProviderAndStatus` fits). */
export interface ConnectionCountRow {
  readonly provider: string;
  readonly status: string;
  readonly count: number;
}

/** One row of `tokenlane_provider_healthy`: 0 while the provider's breaker is open. */
export interface ProviderHealthRow {
  readonly provider: string;
  readonly healthy: boolean;
}

/** One row of `tokenlane_rate_budget_remaining`: an app-wide window of a provider's budget. */
export interface RateBudgetRow {
  readonly provider: string;
  /** The window's length, `60s`, `86400s`. */
  readonly window: string;
  readonly remaining: number;
}

/** Which collector failed during a scrape (its series are left out of that scrape). */
export type Collector = 'jobs' | 'connections' | 'providers' | 'budgets';

export interface CreateMetricsOptions {
  /** The queues counted on every scrape. */
  readonly queues?: () => readonly JobCountsSource[];
  /** Connection counts, read at most once per `connectionsCacheMs`. */
  readonly connectionCounts?: () => Promise<readonly ConnectionCountRow[]>;
  /** Each configured provider's health (its breaker), read on scrape. */
  readonly providerHealth?: () => Promise<readonly ProviderHealthRow[]>;
  /**
   * What is left of each provider's app-wide rate windows, read on scrape (per-connection
   * windows are left out: one series per user would be unbounded).
   */
  readonly rateBudgets?: () => Promise<readonly RateBudgetRow[]>;
  /** Default 5000: a busy scraper must not turn into a `GROUP BY` per second. */
  readonly connectionsCacheMs?: number;
  /** prom-client's process and Node.js metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** A collector failed; the scrape still answers without its series. */
  readonly onCollectError?: (collector: Collector, error: unknown) => void;
}

type ByProvider = 'provider';
type Outcome = 'provider' | 'outcome' | 'code';

/** The registry and a typed handle per tokenlane metric. */
export interface Metrics {
  readonly registry: Registry;
  readonly jobs: Gauge<'queue' | 'state'>;
  readonly connections: Gauge<'provider' | 'status'>;
  readonly providerHealthy: Gauge<'provider'>;
  readonly rateBudgetRemaining: Gauge<'provider' | 'window'>;
  readonly exchangeTotal: Counter<Outcome>;
  readonly refreshTotal: Counter<Outcome>;
  readonly exchangeDuration: Histogram<ByProvider>;
  readonly refreshDuration: Histogram<ByProvider>;
  readonly refreshLeadTime: Histogram<ByProvider>;
  readonly webhookDeliveries: Counter<'outcome'>;
  /** `/v1` requests by API key name (`none`: unauthenticated), route pattern and status. */
  readonly apiRequests: Counter<'key' | 'route' | 'status'>;
  /** Tokens handed out by the token API, by API key name. */
  readonly tokenReads: Counter<'key'>;
  /** Calls through the proxy by provider, status class (`2xx`…, `error`) and API key name. */
  readonly proxyRequests: Counter<'provider' | 'status_class' | 'key'>;
  /** Time from a proxied call's arrival to the provider's headers, by provider. */
  readonly proxyDuration: Histogram<'provider'>;
  /** Connections a provider migration decided, by migration, providers and outcome. */
  readonly migrationOutcomes: Counter<'migration' | 'from' | 'to' | 'outcome'>;
  /** Workers replaced because they picked up nothing while their queue's jobs waited. */
  readonly workerRestarts: Counter<'queue'>;
  /** When each recurring job (sweep, outbox, retention) last ran, in any worker (from Redis). */
  readonly scheduleLastRun: Gauge<'job'>;
  /** Each recurring job's interval, so an alert can tell a late run from an infrequent one. */
  readonly scheduleInterval: Gauge<'job'>;
  /** Schedules found without a next run (or stale) and asserted again by a worker's watch. */
  readonly scheduleRepairs: Counter<'job'>;
  /** How far past due the oldest refreshable connection is (0 when none is late). */
  readonly refreshLag: Gauge;
  /** Events not delivered to the backend's webhook yet (the outbox backlog). */
  readonly eventsUndelivered: Gauge;
  /** The `Content-Type` of {@link Metrics.text}. */
  readonly contentType: string;
  /** The Prometheus text exposition of every metric. */
  text(): Promise<string>;
}

/** Outcomes of one webhook delivery attempt (`tokenlane_webhook_deliveries_total`). */
export const WEBHOOK_DELIVERY_OUTCOMES = ['delivered', 'failed', 'exhausted'] as const;
export type WebhookDeliveryOutcome = (typeof WEBHOOK_DELIVERY_OUTCOMES)[number];

/** Provider round trips: tens of ms to the 30 s of a slow token endpoint with retries. */
const DURATION_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds before expiry; `le="0"` counts refreshes made at or after expiry. */
const LEAD_TIME_BUCKETS = [0, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 21_600, 86_400];

/**
 * Creates a fresh registry with every tokenlane metric (names per Prometheus conventions:
 * `tokenlane_` prefix, base units in names, `_total` on counters). The gauges are read on
 * scrape from `queues`, `connectionCounts` and `providerHealth`; counters and histograms move through the
 * `observe…` helpers. One registry per runtime, so tests never share series.
 */
export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const { onCollectError = () => undefined } = options;

  const jobs = new Gauge({
    name: 'tokenlane_jobs',
    help: 'Jobs per queue and state (BullMQ getJobCounts, read on scrape).',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      const queues = options.queues?.() ?? [];
      try {
        const counts = await Promise.all(queues.map((queue) => queue.getJobCounts()));
        this.reset();
        queues.forEach((queue, i) => {
          for (const [state, count] of Object.entries(counts[i] ?? {})) {
            this.set({ queue: queue.name, state }, count);
          }
        });
      } catch (error) {
        this.reset();
        onCollectError('jobs', error);
      }
    },
  });

  /** A gauge set afresh on each scrape from `read`; a failed read empties it and is reported. */
  const scrapedGauge = <L extends string, R>(
    collector: Collector,
    config: { name: string; help: string; labelNames: readonly L[] },
    read: () => Promise<readonly R[]>,
    sample: (row: R) => [Partial<Record<L, string>>, number],
  ): Gauge<L> =>
    new Gauge({
      ...config,
      registers,
      async collect() {
        try {
          const rows = await read();
          this.reset();
          for (const row of rows) this.set(...sample(row));
        } catch (error) {
          this.reset();
          onCollectError(collector, error);
        }
      },
    });

  const readConnections = cached(options.connectionCounts, options.connectionsCacheMs ?? 5_000);
  const connections = scrapedGauge(
    'connections',
    {
      name: 'tokenlane_connections',
      help: 'Connections by provider and status (read on scrape, cached a few seconds).',
      labelNames: ['provider', 'status'] as const,
    },
    readConnections,
    (row) => [{ provider: row.provider, status: row.status }, row.count],
  );

  const providerHealthy = scrapedGauge(
    'providers',
    {
      name: 'tokenlane_provider_healthy',
      help: 'Whether refreshes at a provider run (1) or are paused by its breaker (0), read on scrape.',
      labelNames: ['provider'] as const,
    },
    async () => (await options.providerHealth?.()) ?? [],
    (row) => [{ provider: row.provider }, row.healthy ? 1 : 0],
  );

  const rateBudgetRemaining = scrapedGauge(
    'budgets',
    {
      name: 'tokenlane_rate_budget_remaining',
      help: "Calls left in each app-wide window of a provider's rate budget (read on scrape from Redis).",
      labelNames: ['provider', 'window'] as const,
    },
    async () => (await options.rateBudgets?.()) ?? [],
    (row) => [{ provider: row.provider, window: row.window }, row.remaining],
  );

  const outcomeLabels = ['provider', 'outcome', 'code'] as const;
  const metrics: Metrics = {
    registry,
    jobs,
    connections,
    providerHealthy,
    rateBudgetRemaining,
    exchangeTotal: new Counter({
      name: 'tokenlane_exchange_total',
      help: 'Code exchanges (links) by provider, outcome and error code.',
      labelNames: outcomeLabels,
      registers,
    }),
    refreshTotal: new Counter({
      name: 'tokenlane_refresh_total',
      help: 'Token refreshes by provider, outcome and error code.',
      labelNames: outcomeLabels,
      registers,
    }),
    exchangeDuration: new Histogram({
      name: 'tokenlane_exchange_duration_seconds',
      help: 'Time to exchange a code at the provider and store the connection.',
      labelNames: ['provider'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    refreshDuration: new Histogram({
      name: 'tokenlane_refresh_duration_seconds',
      help: 'Time to refresh a token at the provider and store it.',
      labelNames: ['provider'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    refreshLeadTime: new Histogram({
      name: 'tokenlane_refresh_lead_time_seconds',
      help: 'Seconds before the access token expired that a refresh succeeded (0 bucket: at or after expiry).',
      labelNames: ['provider'] as const,
      buckets: LEAD_TIME_BUCKETS,
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'tokenlane_webhook_deliveries_total',
      help: 'Webhook delivery attempts to the backend by outcome.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    apiRequests: new Counter({
      name: 'tokenlane_api_requests_total',
      help: 'API requests by API key name (never the key), route pattern and status.',
      labelNames: ['key', 'route', 'status'] as const,
      registers,
    }),
    tokenReads: new Counter({
      name: 'tokenlane_token_reads_total',
      help: 'Tokens read through the token API, by API key name.',
      labelNames: ['key'] as const,
      registers,
    }),
    proxyRequests: new Counter({
      name: 'tokenlane_proxy_requests_total',
      help: 'Calls through the provider API proxy, by provider, status class and API key name.',
      labelNames: ['provider', 'status_class', 'key'] as const,
      registers,
    }),
    proxyDuration: new Histogram({
      name: 'tokenlane_proxy_duration_seconds',
      help: 'Time from a proxied call to the provider answer headers (refresh and retry included).',
      labelNames: ['provider'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    migrationOutcomes: new Counter({
      name: 'tokenlane_migration_connections_total',
      help: 'Connections whose provider migration reached an outcome, by migration id, from, to and outcome.',
      labelNames: ['migration', 'from', 'to', 'outcome'] as const,
      registers,
    }),
    workerRestarts: new Counter({
      name: 'tokenlane_worker_restarts_total',
      help: 'Workers replaced because they took no job while jobs of their queue waited, by queue.',
      labelNames: ['queue'] as const,
      registers,
    }),
    scheduleLastRun: new Gauge({
      name: 'tokenlane_schedule_last_run_timestamp_seconds',
      help: 'When each recurring job last ran in any worker (Unix seconds), as the schedule watch reads it.',
      labelNames: ['job'] as const,
      registers,
    }),
    scheduleInterval: new Gauge({
      name: 'tokenlane_schedule_interval_seconds',
      help: 'How often each recurring job is scheduled to run.',
      labelNames: ['job'] as const,
      registers,
    }),
    scheduleRepairs: new Counter({
      name: 'tokenlane_schedule_repairs_total',
      help: 'Recurring jobs found without a next run, or not run for three intervals, and scheduled again.',
      labelNames: ['job'] as const,
      registers,
    }),
    refreshLag: new Gauge({
      name: 'tokenlane_refresh_lag_seconds',
      help: 'How far past its refresh due time the oldest refreshable connection is (0 when none is late).',
      registers,
    }),
    eventsUndelivered: new Gauge({
      name: 'tokenlane_events_undelivered',
      help: 'Events not yet delivered to the webhook (the outbox backlog; 0 without a webhook).',
      registers,
    }),
    contentType: registry.contentType,
    text: () => registry.metrics(),
  };
  // Zero series from the start, so `rate()` sees the first delivery and failure.
  for (const outcome of WEBHOOK_DELIVERY_OUTCOMES) metrics.webhookDeliveries.inc({ outcome }, 0);
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return metrics;
}

/** `read` at most once per `ttlMs`; concurrent scrapes share one query, failures are not kept. */
function cached<T>(
  read: (() => Promise<readonly T[]>) | undefined,
  ttlMs: number,
): () => Promise<readonly T[]> {
  let last: { at: number; value: Promise<readonly T[]> } | undefined;
  return () => {
    if (read === undefined) return Promise.resolve([]);
    const now = Date.now();
    if (last === undefined || now - last.at >= ttlMs) {
      const value = read();
      const entry = { at: now, value };
      last = entry;
      value.catch(() => {
        if (last === entry) last = undefined;
      });
    }
    return last.value;
  };
}

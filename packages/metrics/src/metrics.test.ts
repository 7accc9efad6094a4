import { describe, expect, it, vi } from 'vitest';
import { parsePrometheusText, sampleValue } from '@tokenlane/test-support';
import { createMetrics } from './metrics.js';
import { observeExchange, observeRefresh, observeWebhookDelivery } from './observe.js';

const queue = (name: string, counts: Record<string, number>) => ({
  name,
  getJobCounts: () => Promise.resolve(counts),
});

describe('createMetrics', () => {
  it('exposes every tokenlane metric with its type, plus process metrics', async () => {
    const parsed = parsePrometheusText(await createMetrics().text());
    expect(
      Object.fromEntries([...parsed.types].filter(([name]) => name.startsWith('tokenlane_'))),
    ).toEqual({
      tokenlane_jobs: 'gauge',
      tokenlane_connections: 'gauge',
      tokenlane_provider_healthy: 'gauge',
      tokenlane_rate_budget_remaining: 'gauge',
      tokenlane_exchange_total: 'counter',
      tokenlane_refresh_total: 'counter',
      tokenlane_exchange_duration_seconds: 'histogram',
      tokenlane_refresh_duration_seconds: 'histogram',
      tokenlane_refresh_lead_time_seconds: 'histogram',
      tokenlane_webhook_deliveries_total: 'counter',
      tokenlane_api_requests_total: 'counter',
      tokenlane_token_reads_total: 'counter',
      tokenlane_proxy_requests_total: 'counter',
      tokenlane_proxy_duration_seconds: 'histogram',
      tokenlane_migration_connections_total: 'counter',
      tokenlane_worker_restarts_total: 'counter',
      tokenlane_schedule_last_run_timestamp_seconds: 'gauge',
      tokenlane_schedule_repairs_total: 'counter',
      tokenlane_schedule_interval_seconds: 'gauge',
      tokenlane_refresh_lag_seconds: 'gauge',
      tokenlane_events_undelivered: 'gauge',
    });
    expect(parsed.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(sampleValue(parsed, 'tokenlane_webhook_deliveries_total', { outcome: 'failed' })).toBe(
      0,
    );
  });

  it('reads job counts on every scrape', async () => {
    let waiting = 3;
    const metrics = createMetrics({
      defaultMetrics: false,
      queues: () => [queue('refresh', { waiting, failed: 1 }), queue('exchange', { active: 2 })],
    });
    let parsed = parsePrometheusText(await metrics.text());
    expect(sampleValue(parsed, 'tokenlane_jobs', { queue: 'refresh', state: 'waiting' })).toBe(3);
    expect(sampleValue(parsed, 'tokenlane_jobs', { queue: 'exchange', state: 'active' })).toBe(2);
    waiting = 0;
    parsed = parsePrometheusText(await metrics.text());
    expect(sampleValue(parsed, 'tokenlane_jobs', { queue: 'refresh', state: 'waiting' })).toBe(0);
  });

  it('caches connection counts, and a failing collector leaves the scrape working', async () => {
    const counts = vi.fn(() => Promise.resolve([{ provider: 'acme', status: 'active', count: 4 }]));
    const errors: string[] = [];
    const metrics = createMetrics({
      defaultMetrics: false,
      connectionCounts: counts,
      connectionsCacheMs: 60_000,
      queues: () => [{ name: 'x', getJobCounts: () => Promise.reject(new Error('redis down')) }],
      onCollectError: (collector) => void errors.push(collector),
    });
    const parsed = parsePrometheusText(await metrics.text());
    await metrics.text();
    expect(counts).toHaveBeenCalledTimes(1);
    expect(
      sampleValue(parsed, 'tokenlane_connections', { provider: 'acme', status: 'active' }),
    ).toBe(4);
    expect(parsed.samples.some((sample) => sample.name === 'tokenlane_jobs')).toBe(false);
    expect(errors).toEqual(['jobs', 'jobs']);
  });

  it('reports each provider’s health as 1 or 0 on every scrape', async () => {
    let healthy = true;
    const metrics = createMetrics({
      defaultMetrics: false,
      providerHealth: () =>
        Promise.resolve([
          { provider: 'acme', healthy },
          { provider: 'other', healthy: true },
        ]),
    });
    let parsed = parsePrometheusText(await metrics.text());
    expect(sampleValue(parsed, 'tokenlane_provider_healthy', { provider: 'acme' })).toBe(1);
    healthy = false;
    parsed = parsePrometheusText(await metrics.text());
    expect(sampleValue(parsed, 'tokenlane_provider_healthy', { provider: 'acme' })).toBe(0);
    expect(sampleValue(parsed, 'tokenlane_provider_healthy', { provider: 'other' })).toBe(1);
  });

  it('reports what is left of each app-wide window on every scrape, none after a failed read', async () => {
    let rows: { provider: string; window: string; remaining: number }[] | undefined = [
      { provider: 'whoop', window: '60s', remaining: 97 },
      { provider: 'whoop', window: '86400s', remaining: 9_997 },
    ];
    const failures: string[] = [];
    const metrics = createMetrics({
      defaultMetrics: false,
      rateBudgets: () =>
        rows === undefined ? Promise.reject(new Error('down')) : Promise.resolve(rows),
      onCollectError: (collector) => failures.push(collector),
    });
    let parsed = parsePrometheusText(await metrics.text());
    const left = (window: string) =>
      sampleValue(parsed, 'tokenlane_rate_budget_remaining', { provider: 'whoop', window });
    expect(left('60s')).toBe(97);
    expect(left('86400s')).toBe(9_997);
    rows = [{ provider: 'whoop', window: '60s', remaining: 96 }];
    parsed = parsePrometheusText(await metrics.text());
    const shown = (window: string) =>
      parsed.samples.some(
        (sample) =>
          sample.name === 'tokenlane_rate_budget_remaining' && sample.labels['window'] === window,
      );
    expect(left('60s')).toBe(96);
    expect(shown('86400s')).toBe(false);
    rows = undefined;
    parsed = parsePrometheusText(await metrics.text());
    expect(shown('60s')).toBe(false);
    expect(failures).toEqual(['budgets']);
  });

  it('does not keep a failed connection count', async () => {
    const counts = vi
      .fn<() => Promise<{ provider: string; status: string; count: number }[]>>()
      .mockRejectedValueOnce(new Error('db down'))
      .mockResolvedValue([{ provider: 'acme', status: 'revoked', count: 1 }]);
    const metrics = createMetrics({ defaultMetrics: false, connectionCounts: counts });
    await metrics.text();
    const parsed = parsePrometheusText(await metrics.text());
    expect(sampleValue(parsed, 'tokenlane_connections', { status: 'revoked' })).toBe(1);
  });
});

describe('observe helpers', () => {
  it('count outcomes once, time them, and measure the lead time of a refresh', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const expiresAt = new Date(Date.now() + 90_000);
    const refresh = observeRefresh(metrics, 'acme', expiresAt);
    const outcome = { status: 'refreshed' as const, tokenVersion: 2 };
    expect(refresh.done(outcome)).toBe(outcome);
    refresh.failed('ignored_after_done');
    observeRefresh(metrics, 'acme', null).done({
      status: 'reauth_required',
      code: 'invalid_grant',
    });
    observeRefresh(metrics, 'acme', null).failed('server_error');
    observeExchange(metrics, 'acme').done({ status: 'completed' });
    observeWebhookDelivery(metrics, 'delivered');

    const parsed = parsePrometheusText(await metrics.text());
    const refreshed = { provider: 'acme', outcome: 'refreshed', code: 'none' };
    expect(sampleValue(parsed, 'tokenlane_refresh_total', refreshed)).toBe(1);
    expect(sampleValue(parsed, 'tokenlane_refresh_total', { code: 'invalid_grant' })).toBe(1);
    expect(sampleValue(parsed, 'tokenlane_refresh_total', { outcome: 'failed' })).toBe(1);
    expect(sampleValue(parsed, 'tokenlane_refresh_total', { code: 'ignored_after_done' })).toBe(0);
    expect(sampleValue(parsed, 'tokenlane_refresh_duration_seconds_count')).toBe(3);
    expect(sampleValue(parsed, 'tokenlane_exchange_total', { outcome: 'completed' })).toBe(1);
    expect(sampleValue(parsed, 'tokenlane_exchange_duration_seconds_count')).toBe(1);
    const lead = sampleValue(parsed, 'tokenlane_refresh_lead_time_seconds_sum');
    expect(lead).toBeGreaterThan(85);
    expect(lead).toBeLessThanOrEqual(90);
    expect(sampleValue(parsed, 'tokenlane_refresh_lead_time_seconds_bucket', { le: '60' })).toBe(0);
    expect(sampleValue(parsed, 'tokenlane_refresh_lead_time_seconds_bucket', { le: '120' })).toBe(
      1,
    );
    expect(
      sampleValue(parsed, 'tokenlane_webhook_deliveries_total', { outcome: 'delivered' }),
    ).toBe(1);
  });

  it('keep each label set apart, per metrics instance, with children resolved once', async () => {
    const first = createMetrics({ defaultMetrics: false });
    const second = createMetrics({ defaultMetrics: false });
    for (let i = 0; i < 3; i += 1)
      observeRefresh(first, 'acme', null).done({ status: 'refreshed' });
    observeRefresh(first, 'other', null).done({ status: 'refreshed' });
    observeRefresh(first, 'acme', null).done({ status: 'skipped', code: 'not_due' });
    observeRefresh(second, 'acme', null).done({ status: 'refreshed' });

    const parsed = parsePrometheusText(await first.text());
    const total = (labels: Record<string, string>) =>
      sampleValue(parsed, 'tokenlane_refresh_total', labels);
    expect(total({ provider: 'acme', outcome: 'refreshed' })).toBe(3);
    expect(total({ provider: 'other', outcome: 'refreshed' })).toBe(1);
    expect(total({ provider: 'acme', outcome: 'skipped', code: 'not_due' })).toBe(1);
    expect(
      sampleValue(parsed, 'tokenlane_refresh_duration_seconds_count', { provider: 'acme' }),
    ).toBe(4);
    const other = parsePrometheusText(await second.text());
    expect(sampleValue(other, 'tokenlane_refresh_total', { provider: 'acme' })).toBe(1);
  });
});

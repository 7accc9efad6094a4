import { CONNECTION_STATUSES } from '@tokenlane/core';
import {
  countConnectionsByProviderAndStatus,
  oldestOverdueRefresh,
  refreshActivity,
  type RefreshHour,
} from '@tokenlane/db';
import {
  listMigrationViews,
  providerBudgets,
  providerHealth,
  type MigrationView,
  type WindowBudget,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';

/** Migrations the overview names: at most this many running and this many paused. */
export const OVERVIEW_MIGRATIONS = 5;

/** Running and paused provider migrations, each newest first: the ones an operator watches. */
export async function openMigrations(runtime: Runtime): Promise<readonly MigrationView[]> {
  const [running, paused] = await Promise.all([
    listMigrationViews(runtime, OVERVIEW_MIGRATIONS, 'running'),
    listMigrationViews(runtime, OVERVIEW_MIGRATIONS, 'paused'),
  ]);
  return [...running, ...paused];
}

/** The hours the overview chart covers. */
export const CHART_HOURS = 24;

const HOUR_MS = 3_600_000;
/** A past hour is counted once this long after it ended (a late commit may still land in it). */
const SETTLE_MS = 5 * 60_000;
/** Counts of settled hours, per runtime: a past hour never changes, so it is read once. */
const settledHours = new WeakMap<Runtime, Map<number, RefreshHour>>();

/**
 * The chart's hours: settled ones from memory, the rest (normally the current hour alone) from
 * the events. Counting a day of attempts at 1M connections takes about a second; an hour, a
 * twenty-fourth of it.
 */
async function chartHours(runtime: Runtime, from: Date, now: Date): Promise<RefreshHour[]> {
  const cache = settledHours.get(runtime) ?? new Map<number, RefreshHour>();
  settledHours.set(runtime, cache);
  const settled = (hour: number) => hour + HOUR_MS + SETTLE_MS <= now.getTime();
  let first = from.getTime();
  while (settled(first) && cache.has(first)) first += HOUR_MS;
  const fresh = await refreshActivity(runtime.db, new Date(first));
  for (let hour = first; settled(hour); hour += HOUR_MS) {
    const found = fresh.find((row) => row.hour.getTime() === hour);
    cache.set(hour, found ?? { hour: new Date(hour), refreshed: 0, failed: 0 });
  }
  for (const hour of cache.keys()) if (hour < from.getTime()) cache.delete(hour);
  const cached = [...cache.values()].filter((row) => row.hour.getTime() < first);
  return [...cached, ...fresh];
}

export interface Overview {
  readonly statuses: readonly string[];
  /** provider → status → count. */
  readonly counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly activity: readonly RefreshHour[];
  readonly chartFrom: Date;
  readonly health: readonly { provider: string; healthy: boolean }[];
  /** provider → its rate budget's windows (what is left of the app-wide ones). */
  readonly budgets: ReadonlyMap<string, readonly WindowBudget[]>;
  readonly migrations: readonly MigrationView[];
  /** How far past due the oldest refreshable connection is, in seconds (0: none is late). */
  readonly refreshLagSeconds: number;
}

/** Everything the overview page shows, read at once (the counts query groups the table). */
export async function loadOverview(runtime: Runtime, now = new Date()): Promise<Overview> {
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const chartFrom = new Date(hour - (CHART_HOURS - 1) * HOUR_MS);
  const [rows, activity, health, budgets, migrations, overdue] = await Promise.all([
    countConnectionsByProviderAndStatus(runtime.db),
    chartHours(runtime, chartFrom, now),
    providerHealth(runtime),
    providerBudgets(runtime),
    openMigrations(runtime),
    oldestOverdueRefresh(runtime.db, now),
  ]);
  const counts = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const byStatus = counts.get(row.provider) ?? new Map<string, number>();
    // pg hands count(*) over as text (bigint); PGlite as a number.
    byStatus.set(row.status, Number.parseInt(String(row.count), 10));
    counts.set(row.provider, byStatus);
  }
  // An unconfigured built-in never refreshes: its health says nothing.
  const configured = health.filter(({ provider }) => runtime.providers.get(provider)?.configured);
  return {
    statuses: CONNECTION_STATUSES,
    counts,
    activity,
    chartFrom,
    health: configured,
    budgets: new Map(budgets.map(({ provider, windows }) => [provider, windows])),
    migrations,
    refreshLagSeconds: overdue === undefined ? 0 : (now.getTime() - overdue.getTime()) / 1000,
  };
}

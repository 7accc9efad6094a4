import { CONNECTION_STATUSES } from '@tokenlane/core';
import {
  countConnectionsByProviderAndStatus,
  refreshActivity,
  type RefreshHour,
} from '@tokenlane/db';
import { providerHealth } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';

/** A provider migration in progress, as the overview shows it. */
export interface MigrationProgress {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly total: number;
  readonly done: number;
}

/**
 * Running provider migrations. Seam: provider migrations (moving a provider's users to its
 * successor) are not built yet; when they land, read the running ones here and the overview
 * shows their progress. Until then there are none.
 */
export function runningMigrations(_runtime: Runtime): Promise<readonly MigrationProgress[]> {
  return Promise.resolve([]);
}

/** The hours the overview chart covers. */
export const CHART_HOURS = 24;

export interface Overview {
  readonly statuses: readonly string[];
  /** provider → status → count. */
  readonly counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly activity: readonly RefreshHour[];
  readonly chartFrom: Date;
  readonly health: readonly { provider: string; healthy: boolean }[];
  readonly migrations: readonly MigrationProgress[];
}

/** Everything the overview page shows, read at once (the counts query groups the table). */
export async function loadOverview(runtime: Runtime, now = new Date()): Promise<Overview> {
  const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  const chartFrom = new Date(hour - (CHART_HOURS - 1) * 3_600_000);
  const [rows, activity, health, migrations] = await Promise.all([
    countConnectionsByProviderAndStatus(runtime.db),
    refreshActivity(runtime.db, chartFrom),
    providerHealth(runtime),
    runningMigrations(runtime),
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
    migrations,
  };
}

import { newConnectionId } from '@tokenlane/core';
import { insertConnection } from '@tokenlane/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime } from '../../../../test/support/runtime.js';
import { CHART_HOURS, loadOverview } from './data.js';
import { overviewPage } from './overview-page.js';

let opened: Awaited<ReturnType<typeof openTestRuntime>>;

beforeAll(async () => {
  opened = await openTestRuntime({ providers: {} });
});

afterAll(async () => {
  await opened.dispose();
});

/** Writes refresh attempt events `hoursAgo` hours before now (outside any connection). */
async function attempts(type: string, count: number, hoursAgo: number): Promise<void> {
  await sql`insert into events (id, type, data, created_at)
    select gen_random_uuid(), ${type}, '{}'::jsonb, now() - ${`${hoursAgo} hours`}::interval
    from generate_series(1, ${count}::int)`.execute(opened.runtime.db);
}

const sum = (hours: { refreshed: number; failed: number }[]) =>
  hours.reduce((n, h) => ({ refreshed: n.refreshed + h.refreshed, failed: n.failed + h.failed }), {
    refreshed: 0,
    failed: 0,
  });

describe('the overview chart', () => {
  it('counts a settled hour once, and the current hour on every load', async () => {
    await attempts('connection.refreshed', 3, 3);
    await attempts('connection.refresh_failed', 2, 3);
    await attempts('connection.refreshed', 1, 0);
    const first = await loadOverview(opened.runtime);
    expect(first.chartFrom.getTime()).toBe(
      Math.floor(Date.now() / 3_600_000) * 3_600_000 - (CHART_HOURS - 1) * 3_600_000,
    );
    expect(sum([...first.activity])).toEqual({ refreshed: 4, failed: 2 });

    // A late write into a settled hour is not read again; the current hour is.
    await attempts('connection.refreshed', 5, 3);
    await attempts('connection.refreshed', 2, 0);
    const second = await loadOverview(opened.runtime);
    expect(sum([...second.activity])).toEqual({ refreshed: 6, failed: 2 });
    expect(new Set(second.activity.map((h) => h.hour.getTime())).size).toBe(second.activity.length);
  });
});

describe('the overview’s refresh lag', () => {
  it('is how far past due the oldest refreshable connection is, and the page says so past 10 minutes', async () => {
    expect((await loadOverview(opened.runtime)).refreshLagSeconds).toBe(0);
    const now = new Date();
    const base = { provider: 'acme', providerUserId: null };
    // A revoked connection never counts; an active one 20 minutes past due does.
    await insertConnection(opened.runtime.db, {
      ...base,
      id: newConnectionId(),
      userId: 'lag-revoked',
      status: 'revoked',
      refreshDueAt: new Date(now.getTime() - 3_600_000),
    });
    await insertConnection(opened.runtime.db, {
      ...base,
      id: newConnectionId(),
      userId: 'lag-active',
      status: 'active',
      refreshDueAt: new Date(now.getTime() - 20 * 60_000),
    });
    const overview = await loadOverview(opened.runtime, now);
    expect(overview.refreshLagSeconds).toBe(1_200);
    expect(String(overviewPage(overview))).toContain('a connection is 20 minutes past the time');
    expect(String(overviewPage({ ...overview, refreshLagSeconds: 30 }))).not.toContain(
      'Refreshes are behind',
    );
  });
});

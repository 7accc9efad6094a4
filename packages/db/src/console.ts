import { sql } from 'kysely';
import type { DbExecutor } from './schema.js';

/** Refresh attempts that reached the provider in one hour, by result. */
export interface RefreshHour {
  /** The start of the hour. */
  readonly hour: Date;
  readonly refreshed: number;
  readonly failed: number;
}

/**
 * Refresh attempts per hour since `since` (hours without any are absent), counted from the
 * attempts' events through their partial index on created_at: the table is never read.
 */
export async function refreshActivity(db: DbExecutor, since: Date): Promise<RefreshHour[]> {
  const { rows } = await sql<{ hour: Date; refreshed: string; failed: string }>`
    select date_trunc('hour', created_at) as hour,
      count(*) filter (where type = 'connection.refreshed') as refreshed,
      count(*) filter (where type = 'connection.refresh_failed') as failed
    from events
    where type in ('connection.refreshed', 'connection.refresh_failed')
      and created_at >= ${since}
    group by 1
    order by 1`.execute(db);
  return rows.map((row) => ({
    hour: new Date(row.hour),
    refreshed: Number(row.refreshed),
    failed: Number(row.failed),
  }));
}

/** The distinct last error codes of connections, for the console's filter (partial index). */
export async function lastErrorCodes(db: DbExecutor): Promise<string[]> {
  // A loose index scan: one index probe per distinct code, not one row per failing connection.
  const { rows } = await sql<{ code: string }>`
    with recursive codes as (
      (select last_error_code as code from connections
        where last_error_code is not null order by last_error_code limit 1)
      union all
      select (select last_error_code from connections
               where last_error_code is not null and last_error_code > codes.code
               order by last_error_code limit 1)
      from codes where codes.code is not null
    )
    select code from codes where code is not null`.execute(db);
  return rows.map((row) => row.code);
}

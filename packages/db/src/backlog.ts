import { sql } from 'kysely';
import { REFRESHABLE_STATUSES_SQL } from './connections.js';
import type { DbExecutor } from './schema.js';

/**
 * The refresh due time of the oldest refreshable connection that is past it, if any: how far
 * behind refreshes are, whatever Redis holds. Reads one row of the sweeper's partial index.
 */
export async function oldestOverdueRefresh(db: DbExecutor, now: Date): Promise<Date | undefined> {
  const row = await db
    .selectFrom('connections')
    .select('refresh_due_at')
    .where(sql<boolean>`status in (${REFRESHABLE_STATUSES_SQL})`)
    .where('refresh_due_at', 'is not', null)
    .where('refresh_due_at', '<', now)
    .orderBy('refresh_due_at')
    .limit(1)
    .executeTakeFirst();
  return row?.refresh_due_at ?? undefined;
}

/** Undelivered events, counted up to `cap` (a partial index scan; a huge backlog stops at the cap). */
export async function countUndeliveredEvents(db: DbExecutor, cap: number): Promise<number> {
  const row = await db
    .selectFrom(
      db
        .selectFrom('events')
        .select('seq')
        .where('delivered_at', 'is', null)
        .limit(cap)
        .as('backlog'),
    )
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

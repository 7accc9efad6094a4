import { findDueRefreshes } from './connections.js';
import type { DbExecutor } from './schema.js';

/**
 * The refresh due time of the oldest refreshable connection that is past it, if any: how far
 * behind refreshes are, whatever Redis holds. The sweeper's own query, limited to one row.
 */
export async function oldestOverdueRefresh(db: DbExecutor, now: Date): Promise<Date | undefined> {
  const [oldest] = await findDueRefreshes(db, now, 1);
  return oldest !== undefined && oldest.refreshDueAt < now ? oldest.refreshDueAt : undefined;
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

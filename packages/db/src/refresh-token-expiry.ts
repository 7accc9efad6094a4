import { sql } from 'kysely';
import { toConnection, type Connection } from './connection-rows.js';
import type { DbExecutor } from './schema.js';

// Literals, so the planner can use the partial index connections_refresh_token_expiry_idx.
const live = sql<boolean>`status in ('active', 'degraded') and refresh_token_expires_at is not null`;

/**
 * Live connections whose refresh token expires on its own by `until` and whose expiry has not
 * been announced yet (`expiring_notice_for` differs), soonest first.
 */
export function findUnannouncedExpiries(
  db: DbExecutor,
  until: Date,
  limit: number,
): Promise<Connection[]> {
  return expiringBy(db, until, limit, { unannouncedOnly: true });
}

/** Live connections whose refresh token has expired by `now`. */
export function findExpiredRefreshTokens(
  db: DbExecutor,
  now: Date,
  limit: number,
): Promise<Connection[]> {
  return expiringBy(db, now, limit, { unannouncedOnly: false });
}

/** The one scan of the partial index: live refresh tokens expiring by `until`, soonest first. */
async function expiringBy(
  db: DbExecutor,
  until: Date,
  limit: number,
  { unannouncedOnly }: { unannouncedOnly: boolean },
): Promise<Connection[]> {
  let query = db
    .selectFrom('connections')
    .selectAll()
    .where(live)
    .where('refresh_token_expires_at', '<=', until);
  if (unannouncedOnly) {
    query = query.where(
      sql<boolean>`expiring_notice_for is distinct from refresh_token_expires_at`,
    );
  }
  const rows = await query.orderBy('refresh_token_expires_at').limit(limit).execute();
  return rows.map(toConnection);
}

/**
 * Records that the expiry `expiresAt` was announced; false when the refresh token changed
 * meanwhile (a new expiry gets its own notice) or another worker announced it first.
 */
export async function markExpiryAnnounced(
  db: DbExecutor,
  id: Connection['id'],
  expiresAt: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('connections')
    .set({ expiring_notice_for: expiresAt })
    .where('id', '=', id)
    .where('refresh_token_expires_at', '=', expiresAt)
    .where(sql<boolean>`expiring_notice_for is distinct from refresh_token_expires_at`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

import type { ConnectionId } from '@tokenlane/core';
import { sql } from 'kysely';
import { toConnection, type Connection } from './connection-rows.js';
import { REFRESHABLE_STATUSES_SQL } from './connections.js';
import type { DbExecutor } from './schema.js';

// Literals (the refreshable statuses), so the planner can use the partial index
// connections_identity_pending_idx.
const pendingAndLive = sql<boolean>`identity_pending_since is not null and status in (${REFRESHABLE_STATUSES_SQL})`;

/**
 * The sweeper's read of pending identities: ids and due times of live connections whose next
 * identity look-up is due by `until`, soonest first, through the partial index.
 */
export async function findDueIdentityLookups(
  db: DbExecutor,
  until: Date,
  limit: number,
): Promise<{ id: ConnectionId; nextLookupAt: Date }[]> {
  const rows = await dueIdentityLookupsQuery(db, until, limit)
    .clearSelect()
    .select(['id', 'identity_next_lookup_at'])
    .execute();
  return rows.map((row) => ({ id: row.id, nextLookupAt: row.identity_next_lookup_at ?? until }));
}

/** The sweeper's query of due identity look-ups, unexecuted, so tests can EXPLAIN it. */
export function dueIdentityLookupsQuery(db: DbExecutor, until: Date, limit: number) {
  return db
    .selectFrom('connections')
    .selectAll()
    .where(pendingAndLive)
    .where('identity_next_lookup_at', '<=', until)
    .orderBy('identity_next_lookup_at')
    .limit(limit);
}

/**
 * The user's connection to `provider` whose identity is still pending and not revoked. There is
 * at most one: its provider user id is null, and (user, provider, provider user id) is unique
 * with nulls not distinct.
 */
export async function findPendingIdentity(
  db: DbExecutor,
  userId: string,
  provider: string,
): Promise<Connection | undefined> {
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('user_id', '=', userId)
    .where('provider', '=', provider)
    .where('provider_user_id', 'is', null)
    .where('identity_pending_since', 'is not', null)
    .where('status', '!=', 'revoked')
    .executeTakeFirst();
  return row && toConnection(row);
}

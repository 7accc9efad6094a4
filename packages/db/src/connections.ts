import { isUuid, REFRESHABLE_STATUSES } from '@tokenlane/core';
import type { ConnectionId, ConnectionStatus } from '@tokenlane/core';
import { sql } from 'kysely';
import {
  linkedAtValue,
  patchColumns,
  toConnection,
  type Connection,
  type ConnectionPatch,
  type NewConnection,
} from './connection-rows.js';
import { jsonb } from './json.js';
import type { DbExecutor } from './schema.js';

/** Inserts a connection; the identity (user, provider, provider user) must be new. */
export async function insertConnection(db: DbExecutor, input: NewConnection): Promise<Connection> {
  const row = await db
    .insertInto('connections')
    .values({
      id: input.id,
      user_id: input.userId,
      provider: input.provider,
      status: input.status,
      provider_user_id: input.providerUserId ?? null,
      access_token_enc: input.accessTokenEnc ?? null,
      refresh_token_enc: input.refreshTokenEnc ?? null,
      token_secret_enc: input.tokenSecretEnc ?? null,
      token_type: input.tokenType ?? null,
      scopes: jsonb(input.scopes ?? []),
      expires_at: input.expiresAt ?? null,
      refresh_token_expires_at: input.refreshTokenExpiresAt ?? null,
      refresh_due_at: input.refreshDueAt ?? null,
      refresh_attempts: input.refreshAttempts ?? 0,
      last_error_code: input.lastErrorCode ?? null,
      last_error_at: input.lastErrorAt ?? null,
      failing_since: input.failingSince ?? null,
      last_refreshed_at: input.lastRefreshedAt ?? null,
      metadata: jsonb(input.metadata ?? {}),
      revoked_at: input.revokedAt ?? null,
      revocation_confirmed: input.revocationConfirmed ?? null,
      identity_pending_since: input.identityPendingSince ?? null,
      identity_attempts: input.identityAttempts ?? 0,
      identity_next_lookup_at: input.identityNextLookupAt ?? null,
      ...(input.linkedAt === undefined ? {} : { linked_at: linkedAtValue(input.linkedAt) }),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toConnection(row);
}

/** The connection, or undefined (also for a string that is not a tokenlane id). */
export async function findConnection(
  db: DbExecutor,
  id: ConnectionId,
): Promise<Connection | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toConnection(row);
}

/** Several connections in one query; ids that are not tokenlane ids or not found are absent. */
export async function findConnections(
  db: DbExecutor,
  ids: readonly ConnectionId[],
): Promise<Connection[]> {
  const valid = ids.filter((id) => isUuid(id));
  if (valid.length === 0) return [];
  const rows = await db.selectFrom('connections').selectAll().where('id', 'in', valid).execute();
  return rows.map(toConnection);
}

/** SELECT … FOR UPDATE: call inside a transaction; the row stays locked until it ends. */
export async function findConnectionForUpdate(
  trx: DbExecutor,
  id: ConnectionId,
): Promise<Connection | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await trx
    .selectFrom('connections')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toConnection(row);
}

/**
 * Every connection to one provider account (webhooks name the provider's user, and several
 * tokenlane users may have linked the same account).
 */
export async function findByProviderUser(
  db: DbExecutor,
  provider: string,
  providerUserId: string,
): Promise<Connection[]> {
  const rows = await db
    .selectFrom('connections')
    .selectAll()
    .where('provider', '=', provider)
    .where('provider_user_id', '=', providerUserId)
    .orderBy('created_at')
    .execute();
  return rows.map(toConnection);
}

/** The connection with this identity; a null provider user id matches a null one. */
export async function findByIdentity(
  db: DbExecutor,
  userId: string,
  provider: string,
  providerUserId: string | null,
): Promise<Connection | undefined> {
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('user_id', '=', userId)
    .where('provider', '=', provider)
    .where('provider_user_id', providerUserId === null ? 'is' : '=', providerUserId)
    .executeTakeFirst();
  return row && toConnection(row);
}

/** Filters and keyset cursor for {@link listConnections}. */
export interface ListConnectionsQuery {
  readonly userId?: string | undefined;
  readonly provider?: string | undefined;
  readonly status?: ConnectionStatus | undefined;
  /** Connections whose last failed refresh had this code. */
  readonly lastErrorCode?: string | undefined;
  /** The last id of the previous page. */
  readonly after?: ConnectionId | undefined;
  readonly limit: number;
}

/** One page of connections, oldest first (keyset on created_at, id: stable under inserts). */
export async function listConnections(
  db: DbExecutor,
  query: ListConnectionsQuery,
): Promise<Connection[]> {
  let select = db.selectFrom('connections').selectAll();
  if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
  if (query.provider !== undefined) select = select.where('provider', '=', query.provider);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.lastErrorCode !== undefined) {
    select = select.where('last_error_code', '=', query.lastErrorCode);
  }
  if (query.after !== undefined) {
    if (!isUuid(query.after)) return [];
    // Compared in SQL: created_at has microseconds a JS Date would round away.
    select = select.where(
      sql<boolean>`(created_at, id) > (select c.created_at, c.id from connections c where c.id = ${query.after})`,
    );
  }
  const rows = await select.orderBy('created_at').orderBy('id').limit(query.limit).execute();
  return rows.map(toConnection);
}

/** Applies `patch` unconditionally (token writes still bump the version); never the status. */
export async function updateConnection(
  db: DbExecutor,
  id: ConnectionId,
  patch: ConnectionPatch,
): Promise<Connection | undefined> {
  const row = await db
    .updateTable('connections')
    .set(patchColumns(patch))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toConnection(row);
}

// Literals, not parameters, so the planner can prove the partial index's predicate.
export const REFRESHABLE_STATUSES_SQL = sql.join(
  REFRESHABLE_STATUSES.map((status) => sql.lit(status)),
);

/**
 * The sweeper's read: only ids and due times of refreshable connections due by `until`,
 * oldest first, through the partial index (cost follows the due count, not the table size).
 */
export async function findDueRefreshes(
  db: DbExecutor,
  until: Date,
  limit: number,
): Promise<{ id: ConnectionId; refreshDueAt: Date }[]> {
  const rows = await dueConnectionsQuery(db, until, limit)
    .clearSelect()
    .select(['id', 'refresh_due_at'])
    .execute();
  return rows.map((row) => ({ id: row.id, refreshDueAt: row.refresh_due_at ?? until }));
}

/** The sweeper's query, unexecuted, so tests can EXPLAIN exactly what runs. */
export function dueConnectionsQuery(db: DbExecutor, until: Date, limit: number) {
  return db
    .selectFrom('connections')
    .selectAll()
    .where(sql<boolean>`status in (${REFRESHABLE_STATUSES_SQL})`)
    .where('refresh_due_at', 'is not', null)
    .where('refresh_due_at', '<=', until)
    .orderBy('refresh_due_at')
    .limit(limit);
}

/** One gauge sample per (provider, status) pair that has rows. */
export interface ConnectionCount {
  readonly provider: string;
  readonly status: ConnectionStatus;
  readonly count: number;
}

/** Connection counts by provider and status, for metrics. */
export async function countConnectionsByProviderAndStatus(
  db: DbExecutor,
): Promise<ConnectionCount[]> {
  return db
    .selectFrom('connections')
    .select(['provider', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['provider', 'status'])
    .orderBy('provider')
    .orderBy('status')
    .execute();
}

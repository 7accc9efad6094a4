import { isUuid, type ConnectionId } from '@tokenlane/core';
import { sql, type Selectable } from 'kysely';
import type { Connection } from './connection-rows.js';
import type { ConnectionsTable, DbExecutor } from './schema.js';

/**
 * What a refresh reads of a connection: what decides whether and how to refresh, and what a
 * refusal's path writes from. Not the access token's ciphertext, the metadata jsonb or the
 * dozen timestamps no refresh looks at: this read is on the hot path.
 */
export type RefreshCandidate = Pick<
  Connection,
  | 'id'
  | 'userId'
  | 'provider'
  | 'status'
  | 'refreshTokenEnc'
  | 'scopes'
  | 'expiresAt'
  | 'refreshTokenExpiresAt'
  | 'refreshDueAt'
  | 'tokenVersion'
  | 'refreshAttempts'
  | 'lastErrorCode'
  | 'failingSince'
  | 'migrationTo'
>;

type RefreshCandidateRow = Pick<
  Selectable<ConnectionsTable>,
  | 'id'
  | 'user_id'
  | 'provider'
  | 'status'
  | 'refresh_token_enc'
  | 'scopes'
  | 'expires_at'
  | 'refresh_token_expires_at'
  | 'refresh_due_at'
  | 'token_version'
  | 'refresh_attempts'
  | 'last_error_code'
  | 'failing_since'
  | 'migration_to'
>;

/** Several refresh candidates in one query (one array parameter); unknown ids are absent. */
export async function findRefreshCandidates(
  db: DbExecutor,
  ids: readonly ConnectionId[],
): Promise<RefreshCandidate[]> {
  const valid = ids.filter((id) => isUuid(id));
  if (valid.length === 0) return [];
  // A fixed text rather than the query builder: this runs for every batch of refreshes, and
  // building the query each time cost more than running it (kysely's select parsing, bench/).
  const { rows } = await sql<RefreshCandidateRow>`
    select id, user_id, provider, status, refresh_token_enc, scopes, expires_at,
           refresh_token_expires_at, refresh_due_at, token_version, refresh_attempts,
           last_error_code, failing_since, migration_to
    from connections where id = any(${valid}::uuid[])`.execute(db);
  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    status: row.status,
    refreshTokenEnc: row.refresh_token_enc,
    scopes: row.scopes,
    expiresAt: row.expires_at,
    refreshTokenExpiresAt: row.refresh_token_expires_at,
    refreshDueAt: row.refresh_due_at,
    tokenVersion: row.token_version,
    refreshAttempts: row.refresh_attempts,
    lastErrorCode: row.last_error_code,
    failingSince: row.failing_since,
    migrationTo: row.migration_to,
  }));
}

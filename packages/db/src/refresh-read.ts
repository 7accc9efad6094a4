import { isUuid, type ConnectionId } from '@tokenlane/core';
import { sql } from 'kysely';
import type { Connection } from './connection-rows.js';
import type { DbExecutor } from './schema.js';

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

/** Several refresh candidates in one query (one array parameter); unknown ids are absent. */
export async function findRefreshCandidates(
  db: DbExecutor,
  ids: readonly ConnectionId[],
): Promise<RefreshCandidate[]> {
  const valid = ids.filter((id) => isUuid(id));
  if (valid.length === 0) return [];
  // A fixed text rather than the query builder: this runs for every batch of refreshes, and
  // rebuilding the query each time showed in the refresh profile (kysely's select parsing).
  // Columns are named as the domain object's fields, so rows need no mapping.
  const { rows } = await sql<RefreshCandidate>`
    select id, user_id as "userId", provider, status, refresh_token_enc as "refreshTokenEnc",
           scopes, expires_at as "expiresAt", refresh_token_expires_at as "refreshTokenExpiresAt",
           refresh_due_at as "refreshDueAt", token_version as "tokenVersion",
           refresh_attempts as "refreshAttempts", last_error_code as "lastErrorCode",
           failing_since as "failingSince", migration_to as "migrationTo"
    from connections where id = any(${valid}::uuid[])`.execute(db);
  return rows;
}

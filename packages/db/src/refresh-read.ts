import { sql, type RawBuilder } from 'kysely';
import type { Connection } from './connection-rows.js';

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

const CANDIDATE_COLUMNS: readonly (readonly [column: string, field: keyof RefreshCandidate])[] = [
  ['id', 'id'],
  ['user_id', 'userId'],
  ['provider', 'provider'],
  ['status', 'status'],
  ['refresh_token_enc', 'refreshTokenEnc'],
  ['scopes', 'scopes'],
  ['expires_at', 'expiresAt'],
  ['refresh_token_expires_at', 'refreshTokenExpiresAt'],
  ['refresh_due_at', 'refreshDueAt'],
  ['token_version', 'tokenVersion'],
  ['refresh_attempts', 'refreshAttempts'],
  ['last_error_code', 'lastErrorCode'],
  ['failing_since', 'failingSince'],
  ['migration_to', 'migrationTo'],
];
const columnsOf = new Map<string, RawBuilder<unknown>>();

/**
 * A refresh candidate's columns of table (or alias) `from`, named as the domain object's
 * fields so rows need no mapping: for the batched read and the lease statements alike.
 */
export function refreshCandidateColumns(from: 'connections' | 'c'): RawBuilder<unknown> {
  let columns = columnsOf.get(from);
  if (columns === undefined) {
    columns = sql.raw(
      CANDIDATE_COLUMNS.map(([column, field]) => `${from}.${column} as "${field}"`).join(', '),
    );
    columnsOf.set(from, columns);
  }
  return columns;
}

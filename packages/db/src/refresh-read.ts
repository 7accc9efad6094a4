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

/**
 * A refresh candidate's columns of the lease statements' `connections c`, named as the domain
 * object's fields so rows need no mapping. A fixed text: it is on the hot path.
 */
export const REFRESH_CANDIDATE_COLUMNS: RawBuilder<unknown> = sql.raw(
  CANDIDATE_COLUMNS.map(([column, field]) => `c.${column} as "${field}"`).join(', '),
);

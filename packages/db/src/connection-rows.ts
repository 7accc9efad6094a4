import type { ConnectionId, ConnectionStatus } from '@tokenlane/core';
import type { Ciphertext } from '@tokenlane/vault';
import { sql, type Selectable, type UpdateObject } from 'kysely';
import { jsonb } from './json.js';
import type { ConnectionsTable, Database, JsonObject } from './schema.js';

/** A connection as the rest of tokenlane sees it; tokens stay ciphertexts. */
export interface Connection {
  readonly id: ConnectionId;
  readonly userId: string;
  readonly provider: string;
  readonly providerUserId: string | null;
  readonly status: ConnectionStatus;
  readonly accessTokenEnc: Ciphertext | null;
  readonly refreshTokenEnc: Ciphertext | null;
  /** OAuth 1.0a token secret. */
  readonly tokenSecretEnc: Ciphertext | null;
  readonly tokenType: string | null;
  readonly scopes: readonly string[];
  readonly expiresAt: Date | null;
  readonly refreshTokenExpiresAt: Date | null;
  readonly refreshDueAt: Date | null;
  /** Bumped by every write of token material; the compare-and-set guard. */
  readonly tokenVersion: number;
  readonly refreshAttempts: number;
  readonly lastErrorCode: string | null;
  readonly lastErrorAt: Date | null;
  /** When the current run of failed refreshes began; null while refreshes succeed. */
  readonly failingSince: Date | null;
  readonly lastRefreshedAt: Date | null;
  /** Non-secret provider extras. */
  readonly metadata: JsonObject;
  readonly revokedAt: Date | null;
  readonly revocationConfirmed: boolean | null;
  /**
   * When the user last granted access: the first link or the latest re-link (database clock).
   * A provider notice issued before it is about an earlier link and revokes nothing.
   */
  readonly linkedAt: Date;
  /** A reconsent migration waits for the user to link this provider (null: none pending). */
  readonly migrationTo: string | null;
  readonly migrationRequestedAt: Date | null;
  /**
   * The provider's identity look-up has not answered since this time (the link completed
   * without a provider user id, which follows once it answers); null when known or never asked.
   */
  readonly identityPendingSince: Date | null;
  /** Look-ups of the pending identity that failed. */
  readonly identityAttempts: number;
  /** When the next look-up of the pending identity is due. */
  readonly identityNextLookupAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The fields a write may change; status and the version have their own paths. */
export interface ConnectionPatch {
  /** A migration moves the connection (same id) to its provider's successor. */
  readonly provider?: string;
  readonly migrationTo?: string | null;
  readonly migrationRequestedAt?: Date | null;
  readonly providerUserId?: string | null;
  readonly accessTokenEnc?: Ciphertext | null;
  readonly refreshTokenEnc?: Ciphertext | null;
  readonly tokenSecretEnc?: Ciphertext | null;
  readonly tokenType?: string | null;
  readonly scopes?: readonly string[];
  readonly expiresAt?: Date | null;
  readonly refreshTokenExpiresAt?: Date | null;
  readonly refreshDueAt?: Date | null;
  readonly refreshAttempts?: number;
  readonly lastErrorCode?: string | null;
  readonly lastErrorAt?: Date | null;
  readonly failingSince?: Date | null;
  readonly lastRefreshedAt?: Date | null;
  readonly metadata?: JsonObject;
  readonly revokedAt?: Date | null;
  readonly revocationConfirmed?: boolean | null;
  readonly identityPendingSince?: Date | null;
  readonly identityAttempts?: number;
  readonly identityNextLookupAt?: Date | null;
  /**
   * A (re-)link: `'now'` stamps the database's clock, the clock notice receipts are compared
   * with (a new row gets it by default).
   */
  readonly linkedAt?: Date | 'now';
}

/** A new connection. The id comes from the caller: ciphertexts are bound to it (AAD). */
export interface NewConnection extends Omit<ConnectionPatch, 'provider'> {
  readonly id: ConnectionId;
  readonly userId: string;
  readonly provider: string;
  readonly status: ConnectionStatus;
}

const TOKEN_FIELDS = ['accessTokenEnc', 'refreshTokenEnc', 'tokenSecretEnc'] as const;

/** True when the patch writes token material, which must move `token_version`. */
export function touchesTokens(patch: ConnectionPatch): boolean {
  return TOKEN_FIELDS.some((field) => patch[field] !== undefined);
}

/** The SET clause for a patch: stamps `updated_at`, and bumps the version with token writes. */
export function patchColumns(patch: ConnectionPatch): UpdateObject<Database, 'connections'> {
  const columns: UpdateObject<Database, 'connections'> = { updated_at: sql<Date>`now()` };
  if (touchesTokens(patch)) columns.token_version = sql<number>`token_version + 1`;
  if (patch.provider !== undefined) columns.provider = patch.provider;
  if (patch.migrationTo !== undefined) columns.migration_to = patch.migrationTo;
  if (patch.migrationRequestedAt !== undefined)
    columns.migration_requested_at = patch.migrationRequestedAt;
  if (patch.providerUserId !== undefined) columns.provider_user_id = patch.providerUserId;
  if (patch.accessTokenEnc !== undefined) columns.access_token_enc = patch.accessTokenEnc;
  if (patch.refreshTokenEnc !== undefined) columns.refresh_token_enc = patch.refreshTokenEnc;
  if (patch.tokenSecretEnc !== undefined) columns.token_secret_enc = patch.tokenSecretEnc;
  if (patch.tokenType !== undefined) columns.token_type = patch.tokenType;
  if (patch.scopes !== undefined) columns.scopes = jsonb(patch.scopes);
  if (patch.expiresAt !== undefined) columns.expires_at = patch.expiresAt;
  if (patch.refreshTokenExpiresAt !== undefined)
    columns.refresh_token_expires_at = patch.refreshTokenExpiresAt;
  if (patch.refreshDueAt !== undefined) columns.refresh_due_at = patch.refreshDueAt;
  if (patch.refreshAttempts !== undefined) columns.refresh_attempts = patch.refreshAttempts;
  if (patch.lastErrorCode !== undefined) columns.last_error_code = patch.lastErrorCode;
  if (patch.lastErrorAt !== undefined) columns.last_error_at = patch.lastErrorAt;
  if (patch.failingSince !== undefined) columns.failing_since = patch.failingSince;
  if (patch.lastRefreshedAt !== undefined) columns.last_refreshed_at = patch.lastRefreshedAt;
  if (patch.metadata !== undefined) columns.metadata = jsonb(patch.metadata);
  if (patch.revokedAt !== undefined) columns.revoked_at = patch.revokedAt;
  if (patch.revocationConfirmed !== undefined)
    columns.revocation_confirmed = patch.revocationConfirmed;
  if (patch.linkedAt !== undefined) columns.linked_at = linkedAtValue(patch.linkedAt);
  if (patch.identityPendingSince !== undefined)
    columns.identity_pending_since = patch.identityPendingSince;
  if (patch.identityAttempts !== undefined) columns.identity_attempts = patch.identityAttempts;
  if (patch.identityNextLookupAt !== undefined)
    columns.identity_next_lookup_at = patch.identityNextLookupAt;
  return columns;
}

/** The value written to `linked_at`: a given time, or the database's `now()`. */
export function linkedAtValue(linkedAt: Date | 'now') {
  return linkedAt === 'now' ? sql<Date>`now()` : linkedAt;
}

/** snake_case row → camelCase domain object. */
export function toConnection(row: Selectable<ConnectionsTable>): Connection {
  return {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    providerUserId: row.provider_user_id,
    status: row.status,
    accessTokenEnc: row.access_token_enc,
    refreshTokenEnc: row.refresh_token_enc,
    tokenSecretEnc: row.token_secret_enc,
    tokenType: row.token_type,
    scopes: row.scopes,
    expiresAt: row.expires_at,
    refreshTokenExpiresAt: row.refresh_token_expires_at,
    refreshDueAt: row.refresh_due_at,
    tokenVersion: row.token_version,
    refreshAttempts: row.refresh_attempts,
    lastErrorCode: row.last_error_code,
    lastErrorAt: row.last_error_at,
    failingSince: row.failing_since,
    lastRefreshedAt: row.last_refreshed_at,
    metadata: row.metadata,
    revokedAt: row.revoked_at,
    revocationConfirmed: row.revocation_confirmed,
    linkedAt: row.linked_at,
    migrationTo: row.migration_to,
    migrationRequestedAt: row.migration_requested_at,
    identityPendingSince: row.identity_pending_since,
    identityAttempts: row.identity_attempts,
    identityNextLookupAt: row.identity_next_lookup_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

import type {
  ConnectionId,
  ConnectionStatus,
  EventId,
  EventType,
  LinkSessionId,
} from '@tokenlane/core';
import type { Ciphertext } from '@tokenlane/vault';
import type { ColumnType, Generated, GeneratedAlways, Kysely } from 'kysely';

/** Any value jsonb can hold. */
export type JsonValue = string | number | boolean | null | JsonArray | JsonObject;
/** A jsonb array. */
export type JsonArray = readonly JsonValue[];
/** A jsonb object (event data, non-secret provider metadata). */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * A jsonb column: read as parsed JSON, written as JSON text. Text on the way in because pg
 * turns a JS array parameter into a Postgres array literal, not JSON; both drivers pass a
 * string through unchanged.
 */
type Jsonb<T, Insert = string> = ColumnType<T, Insert, string>;

/** How a link session meets the user: a browser redirect or an out-of-band PIN. */
export const LINK_METHODS = ['redirect', 'pin'] as const;
export type LinkMethod = (typeof LINK_METHODS)[number];

/** Lifecycle of a link session, from `POST /v1/links` to the code exchange. */
export const LINK_SESSION_STATUSES = [
  'pending',
  'exchanging',
  'completed',
  'failed',
  'expired',
] as const;
export type LinkSessionStatus = (typeof LINK_SESSION_STATUSES)[number];

/** The `connections` table as kysely sees it. */
export interface ConnectionsTable {
  id: ColumnType<ConnectionId, ConnectionId, never>;
  user_id: ColumnType<string, string, never>;
  /** Changes only when a migration moves the connection to its provider's successor. */
  provider: string;
  provider_user_id: string | null;
  status: ConnectionStatus;
  access_token_enc: Ciphertext | null;
  refresh_token_enc: Ciphertext | null;
  token_secret_enc: Ciphertext | null;
  token_type: string | null;
  scopes: Jsonb<string[], string | undefined>;
  expires_at: Date | null;
  refresh_token_expires_at: Date | null;
  refresh_due_at: Date | null;
  token_version: Generated<number>;
  refresh_attempts: Generated<number>;
  last_error_code: string | null;
  last_error_at: Date | null;
  /** When the current run of failed refreshes began; null while refreshes succeed. */
  failing_since: Date | null;
  last_refreshed_at: Date | null;
  metadata: Jsonb<JsonObject, string | undefined>;
  revoked_at: Date | null;
  revocation_confirmed: boolean | null;
  /** When the user last granted access (insert, or a re-link); database clock. */
  linked_at: Generated<Date>;
  /** A reconsent migration waits for the user to link this provider. */
  migration_to: Generated<string | null>;
  migration_requested_at: Generated<Date | null>;
  /** The `refresh_token_expires_at` a `connection.expiring` was sent for. */
  expiring_notice_for: Generated<Date | null>;
  /** Since when the provider's identity look-up has not answered (null: known, or never asked). */
  identity_pending_since: Generated<Date | null>;
  /** Look-ups failed since `identity_pending_since`. */
  identity_attempts: Generated<number>;
  /** When the next look-up of a pending identity is due. */
  identity_next_lookup_at: Generated<Date | null>;
  /** The refresh lease (migration 0010; db/src/refresh-lease.ts): who may refresh now. */
  refresh_lease_owner: Generated<string | null>;
  refresh_lease_until: Generated<Date | null>;
  refresh_lease_started: Generated<boolean>;
  refresh_interrupted: Generated<boolean>;
  created_at: ColumnType<Date, never, never>;
  updated_at: Generated<Date>;
}

/** The `link_sessions` table as kysely sees it. */
export interface LinkSessionsTable {
  id: ColumnType<LinkSessionId, LinkSessionId, never>;
  provider: ColumnType<string, string, never>;
  user_id: ColumnType<string, string, never>;
  connection_id: ConnectionId | null;
  method: ColumnType<LinkMethod, LinkMethod, never>;
  state_hash: ColumnType<string, string, never>;
  request_token_hash: string | null;
  request_token_secret_enc: Ciphertext | null;
  code_verifier_enc: Ciphertext | null;
  code_enc: Ciphertext | null;
  return_url: string | null;
  scopes: Jsonb<string[], string | undefined>;
  status: Generated<LinkSessionStatus>;
  error_code: string | null;
  result_connection_id: ConnectionId | null;
  callback_at: Date | null;
  expires_at: Date;
  created_at: ColumnType<Date, never, never>;
  completed_at: Date | null;
  link_url_enc: Ciphertext | null;
  connect_hash: string | null;
  authorize_url_enc: Ciphertext | null;
  browser_nonce_hash: string | null;
  opened_at: Date | null;
  pin_attempts: Generated<number>;
  /** W3C traceparent of `POST /v1/links`; null when traces are off. */
  traceparent: ColumnType<string | null, string | null | undefined, never>;
}

/** The `events` outbox as kysely sees it. */
export interface EventsTable {
  id: ColumnType<EventId, EventId, never>;
  seq: GeneratedAlways<number>;
  /** The writing transaction, so cursor readers never pass an event still being committed. */
  tx_id: GeneratedAlways<string>;
  type: ColumnType<EventType, EventType, never>;
  connection_id: ColumnType<ConnectionId | null, ConnectionId | null | undefined, never>;
  link_session_id: ColumnType<LinkSessionId | null, LinkSessionId | null | undefined, never>;
  user_id: ColumnType<string | null, string | null | undefined, never>;
  provider: ColumnType<string | null, string | null | undefined, never>;
  data: ColumnType<JsonObject, string, never>;
  created_at: ColumnType<Date, never, never>;
  delivered_at: Date | null;
  delivery_attempts: Generated<number>;
  last_delivery_error: string | null;
}

/** Provider revocation notices already handled, one row per (notice, account). */
export interface NoticeReceiptsTable {
  digest: ColumnType<string, string, never>;
  provider: ColumnType<string, string, never>;
  provider_user_id: ColumnType<string, string, never>;
  issued_at: ColumnType<Date | null, Date | null, never>;
  applies_before: ColumnType<Date, Date, never>;
  first_seen_at: ColumnType<Date, never, never>;
  last_seen_at: Generated<Date>;
  seen_count: Generated<number>;
}

/** How a migration moves users: no user action, or each user consents at the successor. */
export const MIGRATION_MODES = ['token_exchange', 'reconsent'] as const;
export type MigrationMode = (typeof MIGRATION_MODES)[number];

export const MIGRATION_STATUSES = ['running', 'paused', 'completed', 'cancelled'] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/** Where one connection of a migration stands; `pending` until its job decided. */
export const MIGRATION_OUTCOMES = [
  'pending',
  'migrated',
  'awaiting_consent',
  'reauth_required',
  'failed',
  'skipped',
] as const;
export type MigrationOutcome = (typeof MIGRATION_OUTCOMES)[number];

/** The `migrations` table: one provider migration. */
export interface MigrationsTable {
  id: ColumnType<string, string, never>;
  from_provider: ColumnType<string, string, never>;
  to_provider: ColumnType<string, string, never>;
  mode: ColumnType<MigrationMode, MigrationMode, never>;
  status: Generated<MigrationStatus>;
  dry_run: ColumnType<boolean, boolean, never>;
  created_at: ColumnType<Date, never, never>;
  finished_at: Date | null;
  paused_reason: Generated<string | null>;
  resumed_at: Generated<Date | null>;
}

/** The `migration_items` table: one connection of a migration and its outcome. */
export interface MigrationItemsTable {
  migration_id: ColumnType<string, string, never>;
  connection_id: ColumnType<ConnectionId, ConnectionId, never>;
  outcome: Generated<MigrationOutcome>;
  /** Why, for outcomes other than `migrated` (a reason code, never a secret). */
  detail: string | null;
  dry_run: ColumnType<boolean, boolean | undefined, never>;
  /** Set before a token exchange is sent: a retry after it knows the token may be spent. */
  exchange_started_at: Date | null;
  updated_at: Generated<Date>;
}

/** Every table tokenlane owns. */
export interface Database {
  connections: ConnectionsTable;
  link_sessions: LinkSessionsTable;
  events: EventsTable;
  notice_receipts: NoticeReceiptsTable;
  migrations: MigrationsTable;
  migration_items: MigrationItemsTable;
}

/**
 * What repositories accept: the root `Kysely<Database>` or a `Transaction<Database>` (which
 * extends it), so several calls compose in one transaction.
 */
export type DbExecutor = Kysely<Database>;

import { sql, type Kysely, type Migration } from 'kysely';

// A migration is frozen once applied anywhere: status lists are spelled out here rather than
// imported from @tokenlane/core, so a later change to the core constants needs a new migration.
const statements = [
  sql`create table connections (
    id uuid primary key,
    user_id text not null,
    provider text not null,
    provider_user_id text null,
    status text not null
      check (status in ('pending', 'active', 'degraded', 'reauth_required', 'revoked')),
    access_token_enc text null,
    refresh_token_enc text null,
    token_secret_enc text null,
    token_type text null,
    scopes jsonb not null default '[]',
    expires_at timestamptz null,
    refresh_token_expires_at timestamptz null,
    refresh_due_at timestamptz null,
    token_version integer not null default 0,
    refresh_attempts integer not null default 0,
    last_error_code text null,
    last_error_at timestamptz null,
    last_refreshed_at timestamptz null,
    metadata jsonb not null default '{}',
    revoked_at timestamptz null,
    revocation_confirmed boolean null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- NULLS NOT DISTINCT (PG15+): a provider without user ids still gets one row per user.
    constraint connections_identity_key
      unique nulls not distinct (user_id, provider, provider_user_id)
  )`,
  // The sweeper's only access path; it stays small because most rows are not refreshable.
  sql`create index connections_refresh_due_idx on connections (refresh_due_at)
    where status in ('active', 'degraded') and refresh_due_at is not null`,
  sql`create index connections_provider_user_idx on connections (provider, provider_user_id)`,
  sql`create index connections_user_idx on connections (user_id)`,

  sql`create table link_sessions (
    id uuid primary key,
    provider text not null,
    user_id text not null,
    connection_id uuid null references connections (id) on delete set null,
    method text not null check (method in ('redirect', 'pin')),
    state_hash text not null unique,
    request_token_hash text null unique,
    request_token_secret_enc text null,
    code_verifier_enc text null,
    code_enc text null,
    return_url text null,
    scopes jsonb not null default '[]',
    status text not null default 'pending'
      check (status in ('pending', 'exchanging', 'completed', 'failed', 'expired')),
    error_code text null,
    result_connection_id uuid null,
    callback_at timestamptz null,
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    completed_at timestamptz null
  )`,
  sql`create index link_sessions_expires_idx on link_sessions (expires_at)`,

  sql`create table events (
    id uuid primary key,
    seq bigint generated always as identity unique,
    tx_id xid8 not null default pg_current_xact_id(),
    type text not null,
    connection_id uuid null,
    link_session_id uuid null,
    user_id text null,
    provider text null,
    data jsonb not null,
    created_at timestamptz not null default now(),
    delivered_at timestamptz null,
    delivery_attempts integer not null default 0,
    last_delivery_error text null
  )`,
  sql`create index events_connection_seq_idx on events (connection_id, seq)`,
  sql`create index events_undelivered_idx on events (seq) where delivered_at is null`,
];

/** connections, link_sessions and the events outbox. */
export const initial: Migration = {
  // One statement per call: PGlite's parameterised protocol refuses multi-statement strings.
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists events`.execute(db);
    await sql`drop table if exists link_sessions`.execute(db);
    await sql`drop table if exists connections`.execute(db);
  },
};

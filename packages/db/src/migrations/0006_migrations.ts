import { sql, type Kysely, type Migration } from 'kysely';

// Frozen once shipped: outcome, mode and status lists are spelled out here, not imported.
const statements = [
  // A reconsent migration's pending request, shown on the connection view.
  sql`alter table connections add column migration_to text null`,
  sql`alter table connections add column migration_requested_at timestamptz null`,
  // The refresh-token expiry a connection.expiring was sent for (one notice per expiry).
  sql`alter table connections add column expiring_notice_for timestamptz null`,
  sql`create index connections_refresh_token_expiry_idx on connections (refresh_token_expires_at)
    where status in ('active', 'degraded') and refresh_token_expires_at is not null`,
  sql`create table migrations (
    id uuid primary key,
    from_provider text not null,
    to_provider text not null,
    mode text not null check (mode in ('token_exchange', 'reconsent')),
    status text not null default 'running'
      check (status in ('running', 'completed', 'cancelled')),
    dry_run boolean not null default false,
    created_at timestamptz not null default now(),
    finished_at timestamptz null
  )`,
  sql`create index migrations_created_idx on migrations (created_at, id)`,
  // One row per connection of a migration: its outcome is the source of every count, so the
  // counts always add up to the rows.
  sql`create table migration_items (
    migration_id uuid not null references migrations (id) on delete cascade,
    connection_id uuid not null,
    outcome text not null default 'pending'
      check (outcome in ('pending', 'migrated', 'awaiting_consent', 'reauth_required', 'failed', 'skipped')),
    detail text null,
    -- A dry run's items say what would happen; they hold no connection.
    dry_run boolean not null default false,
    exchange_started_at timestamptz null,
    updated_at timestamptz not null default now(),
    primary key (migration_id, connection_id)
  )`,
  // A connection waits in at most one migration at a time (a second one leaves it alone).
  sql`create unique index migration_items_open_idx on migration_items (connection_id)
    where outcome in ('pending', 'awaiting_consent') and not dry_run`,
  sql`create index migration_items_outcome_idx on migration_items (migration_id, outcome)`,
];

/**
 * Provider migrations (a provider's users moved to its successor) and their per-connection
 * items; the pending migration request and the refresh-token expiry notice on connections.
 */
export const providerMigrations: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists migration_items`.execute(db);
    await sql`drop table if exists migrations`.execute(db);
    await sql`alter table connections drop column if exists migration_requested_at`.execute(db);
    await sql`alter table connections drop column if exists expiring_notice_for`.execute(db);
    await sql`alter table connections drop column if exists migration_to`.execute(db);
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

// The operator console pages through connections oldest first, keyset on (created_at, id),
// filtered by status, provider, provider and status, or last error code. Each filter gets an
// index whose leading columns are the equalities and whose tail is the order, so a page is
// one short index range scan whatever the table size (docs/operations.md, "Console").
// A user's connections are few; the existing user_id index serves that filter.
const statements = [
  sql`create index if not exists connections_console_created_idx
    on connections (created_at, id)`,
  sql`create index if not exists connections_console_status_idx
    on connections (status, created_at, id)`,
  sql`create index if not exists connections_console_provider_idx
    on connections (provider, created_at, id)`,
  sql`create index if not exists connections_console_provider_status_idx
    on connections (provider, status, created_at, id)`,
  sql`create index if not exists connections_console_error_idx
    on connections (last_error_code, created_at, id) where last_error_code is not null`,
  // The overview's refresh chart counts the last hours' attempts without reading the table.
  sql`create index if not exists events_console_refresh_idx on events (created_at, type)
    where type in ('connection.refreshed', 'connection.refresh_failed')`,
];

/** Indexes for the operator console's connection list and refresh chart. Frozen once shipped. */
export const consoleIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const name of [
      'connections_console_created_idx',
      'connections_console_status_idx',
      'connections_console_provider_idx',
      'connections_console_provider_status_idx',
      'connections_console_error_idx',
      'events_console_refresh_idx',
    ]) {
      await sql`drop index if exists ${sql.id(name)}`.execute(db);
    }
  },
};

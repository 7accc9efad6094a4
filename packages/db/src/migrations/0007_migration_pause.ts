import { sql, type Kysely, type Migration } from 'kysely';

// Frozen once shipped: the status list is spelled out here, not imported.
const statements = [
  sql`alter table migrations drop constraint migrations_status_check`,
  sql`alter table migrations add constraint migrations_status_check
    check (status in ('running', 'paused', 'completed', 'cancelled'))`,
  // Why the run stopped itself (credentials, clock, failure_rate) or that an operator did.
  sql`alter table migrations add column paused_reason text null`,
  // The failure-rate window counts outcomes since the last resume, so a resumed run is not
  // paused again at once by the failures that paused it.
  sql`alter table migrations add column resumed_at timestamptz null`,
  sql`create index migration_items_recent_idx on migration_items (migration_id, updated_at)`,
];

/** Migrations that pause themselves (and are paused and resumed by operators). */
export const migrationPause: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index if exists migration_items_recent_idx`.execute(db);
    await sql`alter table migrations drop column if exists resumed_at`.execute(db);
    await sql`alter table migrations drop column if exists paused_reason`.execute(db);
    await sql`update migrations set status = 'running' where status = 'paused'`.execute(db);
    await sql`alter table migrations drop constraint migrations_status_check`.execute(db);
    await sql`alter table migrations add constraint migrations_status_check
      check (status in ('running', 'completed', 'cancelled'))`.execute(db);
  },
};

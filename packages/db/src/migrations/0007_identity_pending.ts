import { sql, type Kysely, type Migration } from 'kysely';

// Frozen once shipped: the status list is spelled out here, not imported.
const statements = [
  // A link whose identity look-up failed: since when the provider user id is unknown (null
  // once it is known, or for providers that never name users), how many look-ups failed since,
  // and when the next one is due. Postgres holds the schedule; Redis only its next job.
  sql`alter table connections add column identity_pending_since timestamptz null`,
  sql`alter table connections add column identity_attempts integer not null default 0`,
  sql`alter table connections add column identity_next_lookup_at timestamptz null`,
  // The sweeper's path to the look-ups due: small, as few connections are ever pending.
  sql`create index connections_identity_pending_idx on connections (identity_next_lookup_at)
    where identity_pending_since is not null and status in ('active', 'degraded')`,
];

/** A connection's pending identity look-up and its schedule. */
export const identityPending: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index if exists connections_identity_pending_idx`.execute(db);
    await sql`alter table connections drop column if exists identity_next_lookup_at`.execute(db);
    await sql`alter table connections drop column if exists identity_attempts`.execute(db);
    await sql`alter table connections drop column if exists identity_pending_since`.execute(db);
  },
};

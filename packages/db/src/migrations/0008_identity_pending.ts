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
  // Links made before, whose identity look-up failed, are asked again: the providers that
  // declared a look-up then. A google-health one holds the id_token's `sub` in place of the
  // healthUserId it never got: cleared, unless that would give the user a second connection to
  // the provider without a user id (one per user and provider: that one keeps it). Spread over
  // ten minutes, so a deployment does not ask about all of them at once.
  sql`update connections c set
      provider_user_id = null,
      identity_pending_since = now(),
      identity_next_lookup_at = now() + random() * interval '10 minutes'
    where c.provider in ('google-health', 'whoop')
      and c.metadata->>'identityLookup' = 'failed'
      and (c.provider_user_id is null or not exists (
        select 1 from connections o
        where o.user_id = c.user_id and o.provider = c.provider and o.id <> c.id
          and (o.provider_user_id is null or o.metadata->>'identityLookup' = 'failed')))`,
];

/**
 * A connection's pending identity look-up and its schedule; earlier links whose look-up failed
 * become pending.
 */
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

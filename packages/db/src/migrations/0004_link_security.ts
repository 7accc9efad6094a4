import { sql, type Kysely, type Migration } from 'kysely';

// Frozen once applied anywhere, like 0001: change the schema with a new migration.
const statements = [
  // What `linkWebUrl` was handed out, encrypted and bound to the row: a live re-link for the
  // same connection, provider and returnUrl is handed out again instead of a second one.
  sql`alter table link_sessions add column link_url_enc text null`,
  // A browser-bound link: `linkWebUrl` is `${PUBLIC_URL}/connect/<id>`; the id is stored as a
  // hash (lookup) and the provider URL it redirects to is encrypted. Opening it records the
  // hash of the nonce set as a cookie, which the callback must present with the state.
  sql`alter table link_sessions add column connect_hash text null unique`,
  sql`alter table link_sessions add column authorize_url_enc text null`,
  sql`alter table link_sessions add column browser_nonce_hash text null`,
  sql`alter table link_sessions add column opened_at timestamptz null`,
  // Wrong PINs submitted for an out-of-band link; the link fails after a few.
  sql`alter table link_sessions add column pin_attempts integer not null default 0`,
  // A connection's pending links (re-link reuse, cancel on revoke).
  sql`create index link_sessions_connection_idx on link_sessions (connection_id)
    where connection_id is not null and status in ('pending', 'exchanging')`,
  // Retention: delivered events by age.
  sql`create index events_delivered_idx on events (created_at) where delivered_at is not null`,
  // Retention: receipts by the time they stop mattering.
  sql`create index notice_receipts_seen_idx on notice_receipts (last_seen_at)`,
];

/** Link security (issue 17): reusable re-links, browser-bound links, PIN attempts; retention indexes. */
export const linkSecurity: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index if exists notice_receipts_seen_idx`.execute(db);
    await sql`drop index if exists events_delivered_idx`.execute(db);
    await sql`drop index if exists link_sessions_connection_idx`.execute(db);
    for (const column of [
      'pin_attempts',
      'opened_at',
      'browser_nonce_hash',
      'authorize_url_enc',
      'connect_hash',
      'link_url_enc',
    ]) {
      await sql`alter table link_sessions drop column if exists ${sql.ref(column)}`.execute(db);
    }
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

// Frozen once applied anywhere, like 0001: change the schema with a new migration.
const statements = [
  // When the user last granted access: set on insert and by every re-link (the exchange).
  // A provider notice issued before it is about an earlier link and revokes nothing.
  sql`alter table connections add column linked_at timestamptz not null default now()`,
  // Existing rows: their last `connection.created` event (written by the first link and by
  // every re-link), else the row's creation.
  sql`update connections c set linked_at = coalesce(
      (select max(e.created_at) from events e
        where e.connection_id = c.id and e.type = 'connection.created'),
      c.created_at)`,

  // One row per (notice, account) handled: a digest of the notice (sha256 over the provider,
  // its issue times and the raw body; never a secret), what the provider says it was issued,
  // and `applies_before`, fixed at first sight: a notice revokes only links older than it.
  sql`create table notice_receipts (
    digest text not null,
    provider text not null,
    provider_user_id text not null,
    issued_at timestamptz null,
    applies_before timestamptz not null,
    first_seen_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    seen_count integer not null default 1,
    primary key (digest, provider_user_id)
  )`,
  // The revoke worker's re-check: the newest receipt of one account.
  sql`create index notice_receipts_account_idx
    on notice_receipts (provider, provider_user_id, applies_before)`,
];

/** connections.linked_at and the notice_receipts table (replayed provider notices, issue 8). */
export const noticeReplay: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await statement.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists notice_receipts`.execute(db);
    await sql`alter table connections drop column if exists linked_at`.execute(db);
  },
};

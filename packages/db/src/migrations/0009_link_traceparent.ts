import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The W3C traceparent of the request that started a link (`POST /v1/links`), so the
 * browser's callback, a separate request, continues the same trace. Null when traces are off.
 */
export const linkTraceparent: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table link_sessions add column traceparent text null`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table link_sessions drop column if exists traceparent`.execute(db);
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

/**
 * connections.failing_since: when the current run of failed refreshes began (null while
 * refreshes succeed). After TOKENLANE_REFRESH_GIVE_UP_HOURS of failing, a connection stops
 * being retried and needs a re-link (`refresh_exhausted`). And the `pending` connection
 * status goes: nothing ever wrote it (a link in progress is a link session). Frozen once shipped.
 */
export const failurePolicy: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table connections add column failing_since timestamptz null`.execute(db);
    // Rows already failing: their last error is the best guess of when it began.
    await sql`update connections set failing_since = last_error_at
      where refresh_attempts > 0 and last_error_at is not null`.execute(db);
    await sql`alter table connections drop constraint if exists connections_status_check`.execute(
      db,
    );
    await sql`alter table connections add constraint connections_status_check
      check (status in ('active', 'degraded', 'reauth_required', 'revoked'))`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table connections drop column if exists failing_since`.execute(db);
  },
};

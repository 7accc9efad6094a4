import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The refresh lease: who may refresh a connection now, and until when. One job refreshes many
 * due connections (a batch), so "one refresh in flight per connection" can no longer rest on
 * one BullMQ job id per connection; it rests on this lease, in the same row as the tokens.
 * - `refresh_lease_owner`: the sweep's claim id while its batch has not started the row, then
 *   the id of the run refreshing it; null when free, or when only held back for the
 *   connection's own job.
 * - `refresh_lease_until`: the lease lapses at this time; live holders renew it.
 * - `refresh_lease_started`: a run is refreshing the row (it may have called the provider).
 * - `refresh_interrupted`: a started lease lapsed (its run was lost): the provider may have
 *   rotated the token on a run whose answer never arrived. Cleared when a run ends.
 */
export const refreshLease: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table connections
      add column refresh_lease_owner text null,
      add column refresh_lease_until timestamptz null,
      add column refresh_lease_started boolean not null default false,
      add column refresh_interrupted boolean not null default false`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table connections
      drop column if exists refresh_lease_owner,
      drop column if exists refresh_lease_until,
      drop column if exists refresh_lease_started,
      drop column if exists refresh_interrupted`.execute(db);
  },
};

import type { ConnectionId } from '@tokenlane/core';
import { sql, type RawBuilder } from 'kysely';
import { REFRESHABLE_STATUSES_SQL } from './connections.js';
import { REFRESH_CANDIDATE_COLUMNS, type RefreshCandidate } from './refresh-read.js';
import type { DbExecutor } from './schema.js';

/**
 * The refresh lease (migration 0010): one refresh in flight per connection, whichever job runs
 * it. The sweep claims due rows for a batch; a run of that batch starts them under its own run
 * id; the connection's own job (a caller's refresh, or one the budget deferred) takes the lease
 * of a row nobody has started. Every run releases on every exit and renews while it works. A
 * started lease is only ever taken over once it lapsed, never from a run that may be alive
 * (even a run of the same job); the row is then `interrupted`: the provider may have rotated
 * the token on a run whose answer was lost.
 */

/** A row a run holds the lease of: what the refresh reads, and whether a run was cut off. */
export type LeasedRefresh = RefreshCandidate & { readonly interrupted: boolean };

/** A claimed row, as the sweep batches it. */
export interface ClaimedRefresh {
  readonly id: ConnectionId;
  readonly provider: string;
  readonly refreshDueAt: Date;
}

const millis = (ms: number): RawBuilder<unknown> =>
  sql`(${Math.round(ms)}::integer * interval '1 millisecond')`;

// A started lease that lapsed: its run was lost. Column references are the row before the update.
const lapsedRun = sql`(refresh_lease_started and refresh_lease_until < now())`;

/**
 * The sweep's claim: refreshable rows due by `until` that no live lease holds, oldest due
 * first, locked with SKIP LOCKED so overlapping sweeps and replicas never claim one row twice.
 * Each claim lasts until its due time plus `leaseMs`, long enough for its batch to start; a
 * lapsed run's row is claimed as interrupted.
 */
export async function claimDueRefreshes(
  db: DbExecutor,
  options: { until: Date; limit: number; owner: string; leaseMs: number },
): Promise<ClaimedRefresh[]> {
  const { rows } = await sql<ClaimedRefresh>`
    with due as (
      select id from connections
      where status in (${REFRESHABLE_STATUSES_SQL})
        and refresh_due_at is not null
        and refresh_due_at <= ${options.until}
        and (refresh_lease_until is null or refresh_lease_until < now())
      order by refresh_due_at
      limit ${options.limit}
      for update skip locked
    )
    update connections c set
      refresh_interrupted = c.refresh_interrupted or ${lapsedRun},
      refresh_lease_owner = ${options.owner},
      refresh_lease_started = false,
      refresh_lease_until = greatest(c.refresh_due_at, now()) + ${millis(options.leaseMs)}
    from due where c.id = due.id
    returning c.id, c.provider, c.refresh_due_at as "refreshDueAt"`.execute(db);
  return rows.sort((a, b) => a.refreshDueAt.getTime() - b.refreshDueAt.getTime());
}

/**
 * A batch's run starts its rows: those its claim still holds unstarted (a caller's refresh may
 * have taken some), now under the run's own id, each lease renewed for `leaseMs`. One
 * statement for the batch, and it is the run's read of the rows too.
 */
export async function startClaimedRefreshes(
  db: DbExecutor,
  options: { claim: string; run: string; ids: readonly ConnectionId[]; leaseMs: number },
): Promise<LeasedRefresh[]> {
  const { rows } = await sql<LeasedRefresh>`
    update connections c set
      refresh_lease_owner = ${options.run},
      refresh_lease_started = true,
      refresh_lease_until = now() + ${millis(options.leaseMs)}
    where c.id = any(${options.ids}::uuid[])
      and c.refresh_lease_owner = ${options.claim}
      and not c.refresh_lease_started
    returning ${REFRESH_CANDIDATE_COLUMNS}, c.refresh_interrupted as interrupted`.execute(db);
  return rows;
}

/**
 * The connection's own job takes its lease for run `run`: from nobody, from a claim whose
 * batch has not started, or from a run whose lease lapsed (then interrupted). `in_flight`
 * while a live run holds it; undefined for an unknown connection.
 */
export async function startOneOffRefresh(
  db: DbExecutor,
  options: { id: ConnectionId; run: string; leaseMs: number },
): Promise<LeasedRefresh | 'in_flight' | undefined> {
  const { rows } = await sql<LeasedRefresh>`
    update connections c set
      refresh_interrupted = c.refresh_interrupted or ${lapsedRun},
      refresh_lease_owner = ${options.run},
      refresh_lease_started = true,
      refresh_lease_until = now() + ${millis(options.leaseMs)}
    where c.id = ${options.id}::uuid
      and (not c.refresh_lease_started or c.refresh_lease_until < now())
    returning ${REFRESH_CANDIDATE_COLUMNS}, c.refresh_interrupted as interrupted`.execute(db);
  if (rows[0] !== undefined) return rows[0];
  const exists = await sql`select 1 from connections where id = ${options.id}::uuid`.execute(db);
  return exists.rows.length > 0 ? 'in_flight' : undefined;
}

/**
 * A running holder keeps its leases alive (a heartbeat). Answers the ids it still holds: a
 * lease missing here lapsed and may be another run's now.
 */
export async function extendRefreshLeases(
  db: DbExecutor,
  run: string,
  ids: readonly ConnectionId[],
  leaseMs: number,
): Promise<ConnectionId[]> {
  const { rows } = await sql<{ id: ConnectionId }>`
    update connections set refresh_lease_until = now() + ${millis(leaseMs)}
    where id = any(${ids}::uuid[]) and refresh_lease_owner = ${run}
    returning id`.execute(db);
  return rows.map((row) => row.id);
}

/** One lease to give up: free at once, or held back until `holdUntil` for the row's own job. */
export interface LeaseRelease {
  readonly id: ConnectionId;
  readonly holdUntil: Date | null;
  /**
   * The provider answered this run (or the row needs no refresh any more): an earlier lost
   * run no longer explains a refusal. False keeps `interrupted` for the row's next run.
   */
  readonly settled: boolean;
}

/**
 * A run gives its leases up, in one statement, where it still holds them. A row held back (a refresh the budget deferred,
 * handed to the connection's own job) is skipped by the sweep until then.
 */
export async function releaseRefreshLeases(
  db: DbExecutor,
  run: string,
  releases: readonly LeaseRelease[],
): Promise<void> {
  if (releases.length === 0) return;
  await sql`
    update connections c set
      refresh_lease_owner = null,
      refresh_lease_started = false,
      refresh_interrupted = c.refresh_interrupted and not input.settled,
      refresh_lease_until = input.hold_until
    from unnest(
      ${releases.map((release) => release.id)}::uuid[],
      ${releases.map((release) => release.holdUntil)}::timestamptz[],
      ${releases.map((release) => release.settled)}::boolean[]
    ) as input(id, hold_until, settled)
    where c.id = input.id and c.refresh_lease_owner = ${run}`.execute(db);
}

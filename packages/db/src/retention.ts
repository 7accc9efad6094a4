import { sql } from 'kysely';
import type { DbExecutor } from './schema.js';

/** What one retention pass may delete, and up to when. */
export interface RetentionCutoffs {
  /** Link sessions that expired before this, unless still exchanging. */
  readonly linkSessionsExpiredBefore: Date;
  /** Sessions still `exchanging` that expired before this: their exchange job is long over. */
  readonly stuckExchangesExpiredBefore: Date;
  /** Events created before this and delivered (or all, with `includeUndelivered`). */
  readonly eventsCreatedBefore: Date;
  /** No webhook is configured: nothing will ever deliver them, so age alone decides. */
  readonly includeUndelivered: boolean;
  /** Notice receipts with an issue time, last seen before this. */
  readonly receiptsLastSeenBefore: Date;
}

/**
 * Deletes up to `limit` expired link sessions nobody needs any more: expired before the cut-off
 * and not exchanging (an `exchanging` one may have its job still running; it goes only once long
 * expired). Their ciphertexts (PKCE verifiers, request-token secrets, codes) go with them.
 * Returns how many.
 */
export async function deleteExpiredLinkSessionBatch(
  db: DbExecutor,
  cutoffs: RetentionCutoffs,
  limit: number,
): Promise<number> {
  const result = await sql`delete from link_sessions where id in (
      select id from link_sessions
      where expires_at < ${cutoffs.linkSessionsExpiredBefore}
        and (status <> 'exchanging' or expires_at < ${cutoffs.stuckExchangesExpiredBefore})
      limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Deletes up to `limit` delivered events created before the cut-off. Returns how many. */
export async function deleteOldEventBatch(
  db: DbExecutor,
  cutoffs: RetentionCutoffs,
  limit: number,
): Promise<number> {
  const delivered = cutoffs.includeUndelivered ? sql`true` : sql`delivered_at is not null`;
  const result = await sql`delete from events where id in (
      select id from events
      where created_at < ${cutoffs.eventsCreatedBefore} and ${delivered}
      limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Deletes up to `limit` notice receipts past their use: those with an issue time, last seen
 * before the cut-off. A replay of such a notice revokes only links older than its issue time
 * whether or not the receipt exists, and the revoke jobs that re-check it are long done.
 * Receipts without an issue time are kept: they are all that tells a replay from a new notice.
 */
export async function deleteStaleNoticeReceiptBatch(
  db: DbExecutor,
  cutoffs: RetentionCutoffs,
  limit: number,
): Promise<number> {
  const result = await sql`delete from notice_receipts where (digest, provider_user_id) in (
      select digest, provider_user_id from notice_receipts
      where issued_at is not null and last_seen_at < ${cutoffs.receiptsLastSeenBefore}
      limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

import type { ConnectionId } from '@tokenlane/core';
import { isUuid } from '@tokenlane/core';
import { sql, type Selectable } from 'kysely';
import { toConnection, type Connection } from './connection-rows.js';
import type { DbExecutor, NoticeReceiptsTable } from './schema.js';

/** One account named by a provider revocation notice, as the intake records it. */
export interface NewNoticeReceipt {
  /** sha256 (hex) of the notice: provider, issue times, raw body. Never a secret. */
  readonly digest: string;
  readonly provider: string;
  readonly providerUserId: string;
  /** When the provider says it issued the notice; null when its format carries no time. */
  readonly issuedAt: Date | null;
}

/** A handled notice for one account. */
export interface NoticeReceipt {
  readonly digest: string;
  readonly provider: string;
  readonly providerUserId: string;
  readonly issuedAt: Date | null;
  /** The notice revokes only connections linked before this; fixed at first sight. */
  readonly appliesBefore: Date;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
  /** 1 the first time; more means the same notice came again (a retry or a replay). */
  readonly seenCount: number;
}

/** A connection of an account a notice names, and whether that notice revokes it. */
export interface NoticedConnection {
  readonly connection: Connection;
  /** The connection was linked before the notice's `applies_before`. */
  readonly noticeApplies: boolean;
}

function toReceipt(row: Selectable<NoticeReceiptsTable>): NoticeReceipt {
  return {
    digest: row.digest,
    provider: row.provider,
    providerUserId: row.provider_user_id,
    issuedAt: row.issued_at,
    appliesBefore: row.applies_before,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    seenCount: row.seen_count,
  };
}

/**
 * Records one notice's accounts, or counts a notice seen before. `applies_before` is set on
 * first sight only, on the database's clock: `least(issued_at + skew, now())`, or `now()` for a
 * notice without a time. So a replay keeps the time of the original, however late it comes.
 * Each account appears once per call (the verifiers deduplicate).
 */
export async function recordNoticeReceipts(
  db: DbExecutor,
  receipts: readonly NewNoticeReceipt[],
  skewMs: number,
): Promise<NoticeReceipt[]> {
  if (receipts.length === 0) return [];
  const skew = Math.round(skewMs);
  const rows = await db
    .insertInto('notice_receipts')
    .values(
      receipts.map((receipt) => ({
        digest: receipt.digest,
        provider: receipt.provider,
        provider_user_id: receipt.providerUserId,
        issued_at: receipt.issuedAt,
        applies_before: sql<Date>`least(coalesce(${receipt.issuedAt}::timestamptz + ${skew}::integer * interval '1 millisecond', now()), now())`,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['digest', 'provider_user_id']).doUpdateSet({
        last_seen_at: sql<Date>`now()`,
        seen_count: sql<number>`notice_receipts.seen_count + 1`,
      }),
    )
    .returningAll()
    .execute();
  return rows.map(toReceipt);
}

/**
 * Every connection to the accounts the recorded notice `digest` names, oldest first, each with
 * whether the notice revokes it. Compared in SQL: both times carry microseconds.
 */
export async function connectionsNamedByNotice(
  db: DbExecutor,
  provider: string,
  digest: string,
): Promise<NoticedConnection[]> {
  const rows = await db
    .selectFrom('connections as c')
    .innerJoin('notice_receipts as r', (join) =>
      join
        .onRef('r.provider', '=', 'c.provider')
        .onRef('r.provider_user_id', '=', 'c.provider_user_id'),
    )
    .selectAll('c')
    .select(sql<boolean>`r.applies_before > c.linked_at`.as('notice_applies'))
    .where('r.digest', '=', digest)
    .where('c.provider', '=', provider)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
  return rows.map(({ notice_applies, ...row }) => ({
    connection: toConnection(row),
    noticeApplies: notice_applies,
  }));
}

/**
 * Whether any recorded notice about the connection's account was issued after its link: what
 * a provider-notice revocation re-checks under the row lock, so a job that was queued before
 * a re-link does not revoke the new link.
 */
export async function noticeRevokesConnection(db: DbExecutor, id: ConnectionId): Promise<boolean> {
  if (!isUuid(id)) return false;
  const row = await db
    .selectFrom('connections as c')
    .select(
      sql<boolean>`exists (select 1 from notice_receipts r
        where r.provider = c.provider and r.provider_user_id = c.provider_user_id
          and r.applies_before > c.linked_at)`.as('applies'),
    )
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row?.applies === true;
}

import { createHash } from 'node:crypto';
import type { ConnectionId } from '@tokenlane/core';
import { connectionsNamedByNotice, recordNoticeReceipts } from '@tokenlane/db';
import type { Revocation } from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { revokeJob } from './revoke.js';

/**
 * How far a provider's clock may run behind ours when its notice is compared with a link time:
 * a notice stamped up to this long before a (re-)link still revokes it. Errs towards revoking:
 * a notice the provider really sent must not be lost to a slow clock, while a replay needs a
 * re-link within this window of the captured notice to get through.
 */
export const NOTICE_CLOCK_SKEW_MS = 60_000;

/** A verified revocation notice: the accounts it names, and its exact bytes. */
export interface RevocationNotice {
  readonly provider: string;
  /** The raw body as signed; only its digest is kept. */
  readonly rawBody: Buffer;
  readonly revocations: readonly Revocation[];
}

/** Why a connection of a named account was or was not revoked (ids and codes only: logged). */
export type NoticeDecisionReason =
  'linked_before_notice' | 'linked_after_notice' | 'already_revoked';

/** What a notice does to one connection of an account it names. */
export interface NoticeDecision {
  readonly connectionId: ConnectionId;
  readonly revoke: boolean;
  readonly reason: NoticeDecisionReason;
  /** The notice revokes links older than this (its issue time plus skew, or first sight). */
  readonly appliesBefore: Date;
  /** When the provider says it issued the notice; undefined when the format carries none. */
  readonly issuedAt: Date | undefined;
  /** How often this exact notice has arrived, this time included. */
  readonly seenCount: number;
}

/** The outcome of one notice: what each named connection got, and how many jobs were queued. */
export interface NoticeResult {
  readonly decisions: readonly NoticeDecision[];
  readonly enqueued: number;
}

/**
 * A notice's identity: sha256 over the provider, the issue times it carries and its raw body.
 * The times are in because the generic format signs its timestamp outside the body: two
 * notices with the same body and different timestamps are two notices. Holds no secret (the
 * body is signed, not secret-bearing, and the signature and its key are never hashed in).
 */
export function noticeDigest(notice: RevocationNotice): string {
  const times = notice.revocations.map((r) => r.issuedAt?.getTime() ?? '').join(',');
  return createHash('sha256')
    .update(notice.provider)
    .update('\n')
    .update(times)
    .update('\n')
    .update(notice.rawBody)
    .digest('hex');
}

/**
 * Applies a verified revocation notice (docs/architecture.md, "Provider notice"): records it (Postgres,
 * `notice_receipts`) and enqueues one `revoke` job for each live connection of the named
 * accounts that was linked before the notice. A notice names an account, not a link, so one
 * issued before the account was re-linked is about the earlier link and revokes nothing:
 * - with an issue time (a signed timestamp, or a documented body field), it applies to links
 *   older than that time plus {@link NOTICE_CLOCK_SKEW_MS};
 * - either way, never to links made after tokenlane first received that exact notice, so a
 *   replay of a notice without a time (or with a time ahead of ours) revokes nothing new.
 * The revoke job re-checks under the row lock, so a re-link between now and the job wins.
 */
export async function applyRevocationNotice(
  ctx: Pick<LifecycleContext, 'db' | 'queues'>,
  notice: RevocationNotice,
): Promise<NoticeResult> {
  const digest = noticeDigest(notice);
  const receipts = await recordNoticeReceipts(
    ctx.db,
    notice.revocations.map((revocation) => ({
      digest,
      provider: notice.provider,
      providerUserId: revocation.providerUserId,
      issuedAt: revocation.issuedAt ?? null,
    })),
    NOTICE_CLOCK_SKEW_MS,
  );
  const byAccount = new Map(receipts.map((receipt) => [receipt.providerUserId, receipt]));
  const named = await connectionsNamedByNotice(ctx.db, notice.provider, digest);
  const decisions = named.flatMap(({ connection, noticeApplies }): NoticeDecision[] => {
    const receipt =
      connection.providerUserId === null ? undefined : byAccount.get(connection.providerUserId);
    if (receipt === undefined) return [];
    const reason: NoticeDecisionReason =
      connection.status === 'revoked'
        ? 'already_revoked'
        : noticeApplies
          ? 'linked_before_notice'
          : 'linked_after_notice';
    return [
      {
        connectionId: connection.id,
        revoke: reason === 'linked_before_notice',
        reason,
        appliesBefore: receipt.appliesBefore,
        issuedAt: receipt.issuedAt ?? undefined,
        seenCount: receipt.seenCount,
      },
    ];
  });
  const revoking = decisions.filter((decision) => decision.revoke);
  await Promise.all(
    revoking.map((decision) =>
      ctx.queues.enqueue(revokeJob, {
        connectionId: decision.connectionId,
        reason: 'provider_notice',
      }),
    ),
  );
  return { decisions, enqueued: revoking.length };
}

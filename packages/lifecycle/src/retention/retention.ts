import {
  deleteExpiredLinkSessionBatch,
  deleteOldEventBatch,
  deleteStaleNoticeReceiptBatch,
  type DbExecutor,
  type RetentionCutoffs,
} from '@tokenlane/db';
import { defineJob } from '@tokenlane/queue';
import type { LifecycleContext } from '../context.js';
import { RECURRING } from '../payload-ids.js';

/** How often the retention job deletes what nobody needs any more. */
const RETENTION_INTERVAL_MS = 10 * 60_000;

/**
 * `retention`, a recurring job: delete expired link sessions, old delivered events and stale
 * notice receipts (see {@link runRetention}).
 */
export const retentionJob = defineJob({
  ...RECURRING,
  name: 'retention',
  jobId: () => 'retention',
  lockMs: 60_000,
  schedule: { everyMs: () => RETENTION_INTERVAL_MS },
  run: (ctx: Pick<LifecycleContext, 'db' | 'logger' | 'config'>) => runRetention(ctx),
});

/** Rows deleted per statement: short transactions, no long lock on a busy table. */
export const RETENTION_BATCH = 500;
/** Batches per table per run: a backlog is worked off over several runs, not in one. */
const MAX_BATCHES = 40;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How many rows one retention run deleted, per table. */
export interface RetentionResult {
  readonly linkSessions: number;
  readonly events: number;
  readonly noticeReceipts: number;
}

/**
 * The cut-offs of a run at `now`: link sessions an hour after they expired (a day for one still
 * exchanging), delivered events after TOKENLANE_EVENT_RETENTION_DAYS (all events when no webhook
 * is configured: nothing would ever deliver them), timed notice receipts a day after last seen.
 */
export function retentionCutoffs(
  ctx: Pick<LifecycleContext, 'config'>,
  now: Date,
): RetentionCutoffs {
  const at = now.getTime();
  return {
    linkSessionsExpiredBefore: new Date(at - HOUR_MS),
    stuckExchangesExpiredBefore: new Date(at - DAY_MS),
    eventsCreatedBefore: new Date(at - ctx.config.eventRetentionDays * DAY_MS),
    includeUndelivered: ctx.config.webhook === undefined,
    receiptsLastSeenBefore: new Date(at - DAY_MS),
  };
}

/**
 * The `retention` job: deletes, in batches of {@link RETENTION_BATCH}, expired link sessions
 * (with their encrypted PKCE verifiers, request-token secrets and codes), delivered events past
 * retention and notice receipts past their use. Never a row still needed: see the cut-offs.
 */
export async function runRetention(
  ctx: Pick<LifecycleContext, 'db' | 'logger' | 'config'>,
  now: Date = new Date(),
): Promise<RetentionResult> {
  const cutoffs = retentionCutoffs(ctx, now);
  const result = {
    linkSessions: await drain(ctx.db, cutoffs, deleteExpiredLinkSessionBatch),
    events: await drain(ctx.db, cutoffs, deleteOldEventBatch),
    noticeReceipts: await drain(ctx.db, cutoffs, deleteStaleNoticeReceiptBatch),
  };
  if (result.linkSessions + result.events + result.noticeReceipts > 0) {
    ctx.logger.info(result, 'retention: old rows deleted');
  }
  return result;
}

async function drain(
  db: DbExecutor,
  cutoffs: RetentionCutoffs,
  deleteBatch: (db: DbExecutor, cutoffs: RetentionCutoffs, limit: number) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const deleted = await deleteBatch(db, cutoffs, RETENTION_BATCH);
    total += deleted;
    if (deleted < RETENTION_BATCH) break;
  }
  return total;
}

import type { LinkSessionId } from '@tokenlane/core';
import { defineJob } from '@tokenlane/queue';
import { z } from 'zod';
import type { LifecycleContext } from '../context.js';
import { linkSessionIdSchema } from '../payload-ids.js';
import { CodeSpentError, exchangeLink, failExchange, type ExchangeDeps } from './exchange.js';
import type { ExchangeOutcome } from './outcomes.js';

/**
 * `exchange`: trade the authorization code (or PIN, or OAuth 1.0a verifier) stored on a link
 * session for tokens (see {@link exchangeLink}). A failure of our own (database, a bug) is
 * retried; on the last attempt, or whenever the provider may already have spent the code, the
 * link fails for good: `link.failed`, the code wiped, never sent again.
 */
export const exchangeJob = defineJob({
  name: 'exchange',
  payload: z.strictObject({ linkSessionId: linkSessionIdSchema }),
  jobId: (p) => `exchange-${p.linkSessionId}`,
  // Codes are single use and short-lived (Withings: 30 s): few, quick attempts.
  attempts: 3,
  backoff: { baseMs: 500, capMs: 2_000 },
  // Kept an hour after completion so a replayed callback finds the job and adds nothing.
  retention: { completed: { age: 3_600 }, failed: { age: 7 * 86_400 } },
  // A dead worker's exchange is taken back within seconds: the user waits on the callback page.
  lockMs: 10_000,
  // Wide: codes are short-lived, so a burst of callbacks must not queue behind each other.
  concurrency: 50,
  async run(ctx: ExchangeDeps, { linkSessionId: id }, control) {
    try {
      return await exchangeLink(ctx, id);
    } catch (error) {
      if (!(error instanceof CodeSpentError) && !control.lastAttempt) throw error;
      ctx.logger.error(
        { linkId: id, err: { message: error instanceof Error ? error.message : 'unknown' } },
        'exchange failed for good: the link is failed',
      );
      // Best effort: if the database is still down the session expires unexchanged, and the
      // job ends here either way, so the code is never sent twice.
      await failExchange(ctx, id).catch((failure: unknown) => {
        ctx.logger.error(
          { linkId: id, err: { message: failure instanceof Error ? failure.message : 'unknown' } },
          'could not record the failed link',
        );
      });
      return control.giveUp('exchange failed: exchange_failed');
    }
  },
});

/**
 * Enqueues the `exchange` job of a link session (job id = session id, so a replay adds
 * nothing) and waits up to `waitMs` for its outcome; undefined when the wait ran out.
 */
export async function runExchangeJob(
  ctx: Pick<LifecycleContext, 'queues'>,
  linkSessionId: LinkSessionId,
  waitMs: number,
): Promise<ExchangeOutcome | undefined> {
  const finished = await ctx.queues.enqueueAndWait(exchangeJob, { linkSessionId }, waitMs);
  if (finished === undefined) return undefined;
  // The job failed for good: it recorded the link as failed.
  return finished.status === 'completed'
    ? finished.result
    : { status: 'failed', code: 'exchange_failed' };
}

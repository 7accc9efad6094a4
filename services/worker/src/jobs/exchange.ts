import type { LinkSessionId } from '@tokenlane/core';
import { CodeSpentError, exchangeLink, failExchange } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { UnrecoverableError } from 'bullmq';

/**
 * `exchange`: trade a link session's code for tokens (see lifecycle's exchangeLink). A failure
 * of our own (database, a bug) is retried; on the last attempt, or whenever the provider may
 * already have spent the code, the link fails for good: `link.failed`, the code wiped, never
 * sent again.
 */
export function exchangeHandler(rt: Runtime): JobHandlers['exchange'] {
  return async ({ linkSessionId }, job) => {
    const id = linkSessionId as LinkSessionId;
    try {
      return await exchangeLink(rt, id);
    } catch (error) {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!(error instanceof CodeSpentError) && !last) throw error;
      rt.logger.error(
        { linkId: id, err: { message: error instanceof Error ? error.message : 'unknown' } },
        'exchange failed for good: the link is failed',
      );
      // Best effort: if the database is still down the session expires unexchanged, and the
      // job ends here either way, so the code is never sent twice.
      await failExchange(rt, id).catch((failure: unknown) => {
        rt.logger.error(
          { linkId: id, err: { message: failure instanceof Error ? failure.message : 'unknown' } },
          'could not record the failed link',
        );
      });
      throw new UnrecoverableError('exchange failed: exchange_failed');
    }
  };
}

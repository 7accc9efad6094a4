import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import type { LifecycleContext } from '../context.js';

/** What an `exchange` job returns (ids and codes only: it is stored in Redis). */
export type ExchangeOutcome =
  | { readonly status: 'completed'; readonly connectionId: ConnectionId }
  | { readonly status: 'failed'; readonly code: string }
  /** PIN flow: the provider refused the PIN; the link stays usable until it expires. */
  | { readonly status: 'pin_rejected' };

/**
 * Enqueues the `exchange` job of a link session (job id = session id, so a replay adds
 * nothing) and waits up to `waitMs` for its outcome; undefined when the wait ran out.
 */
export async function runExchangeJob(
  ctx: LifecycleContext,
  linkSessionId: LinkSessionId,
  waitMs: number,
): Promise<ExchangeOutcome | undefined> {
  const events = await ctx.queues.events('exchange');
  const job = await ctx.queues.enqueue('exchange', { linkSessionId });
  if (waitMs <= 0) return undefined;
  try {
    return (await job.waitUntilFinished(events, waitMs)) as ExchangeOutcome;
  } catch (error) {
    if (error instanceof Error && /timed out/i.test(error.message)) return undefined;
    // The job failed for good (its handler records the link as failed).
    return { status: 'failed', code: 'exchange_failed' };
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { LinkSessionId } from '@tokenlane/core';
import type { LifecycleContext } from '../context.js';
import type { ExchangeOutcome } from './exchange.js';

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
  // Our own timer decides the wait; BullMQ's (a little later) only cleans up its listeners.
  const finished = job.waitUntilFinished(events, waitMs + 1_000).then(
    (outcome) => outcome as ExchangeOutcome,
    // The job failed for good: its handler recorded the link as failed.
    () => ({ status: 'failed', code: 'exchange_failed' }) as const,
  );
  const timer = new AbortController();
  const timedOut = sleep(waitMs, undefined, { signal: timer.signal }).then(
    () => undefined,
    () => undefined,
  );
  const outcome = await Promise.race([finished, timedOut]);
  timer.abort();
  return outcome;
}

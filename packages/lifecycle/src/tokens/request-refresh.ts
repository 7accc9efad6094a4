import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionId } from '@tokenlane/core';
import type { Connection } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { readConnection } from './batching.js';
import type { RefreshTrigger } from './outcomes.js';
import { refreshJob, type RefreshPayload } from './refresh.job.js';

/**
 * Runs the connection's single `refresh` job now, as a refresh this caller asked for: adds it,
 * or joins the one already there (docs/architecture.md, rule 4). A job the sweeper scheduled
 * is turned into the caller's (its data says who asked, so it runs even though the connection
 * is not due yet) and promoted. Promoting a job the rate limit or breaker deferred costs no
 * provider call: the job passes the same gate again and goes back to waiting.
 */
export async function requestRefresh(
  ctx: Pick<LifecycleContext, 'queues'>,
  connectionId: ConnectionId,
  trigger: Exclude<RefreshTrigger, 'schedule'>,
  /** The version the caller saw; the job skips if the tokens moved past it meanwhile. */
  tokenVersion?: number,
): Promise<void> {
  const payload: RefreshPayload = {
    connectionId,
    trigger,
    ...(tokenVersion === undefined ? {} : { tokenVersion }),
  };
  const queue = ctx.queues.queue(refreshJob.name);
  const existing = await queue.getJob(refreshJob.jobId(payload));
  if (existing === undefined) {
    await ctx.queues.enqueue(refreshJob, payload);
    return;
  }
  // Only the trigger is read: a job's data is parsed where it runs, in the worker.
  if ((existing.data as Partial<RefreshPayload>).trigger !== 'schedule') return;
  const state = await existing.getState();
  if (state !== 'delayed' && state !== 'waiting' && state !== 'prioritized') return;
  // Gone or started between the reads: the caller's wait re-asks (see refreshAndWait).
  await existing.updateData(payload).catch(() => undefined);
  if (state === 'delayed') await existing.promote().catch(() => undefined);
}

/**
 * One promise per key for every caller in this process while it runs: the first caller
 * starts the work, later ones join it, and the key is free again once it settles.
 */
function singleFlight<T>(
  running: Map<string, Promise<T>>,
  key: string,
  start: () => Promise<T>,
): Promise<T> {
  let work = running.get(key);
  if (work === undefined) {
    work = start().finally(() => running.delete(key));
    running.set(key, work);
  }
  return work;
}

const waits = new Map<string, Promise<Connection | undefined>>();
const refreshes = new Map<string, Promise<Connection | undefined>>();
const versionKey = (connection: Connection) => `${connection.id}:${connection.tokenVersion}`;

/**
 * Waits until the connection's tokens move past `version` (or its status changes), up to
 * `timeoutMs`. Callers in one process share one wait per connection, so a thousand concurrent
 * token requests cost one poll loop, not a thousand. Polling the row (rather than listening
 * for the job) also sees refreshes made by another path, and jobs removed on completion.
 */
export function waitForNewTokens(
  ctx: Pick<LifecycleContext, 'db'>,
  connection: Connection,
  timeoutMs: number,
): Promise<Connection | undefined> {
  return singleFlight(waits, versionKey(connection), () => poll(ctx, connection, timeoutMs));
}

/** How long a caller waits on one request before asking again. */
const ASK_AGAIN_MS = 1_500;

/**
 * The token API's refresh: asks for the connection's refresh job and waits for the new
 * tokens. Callers in one process that saw the same version share both the request and the
 * wait, so a thousand callers on one expired token cost a few Redis calls and one poll loop.
 * It asks again while it waits: a scheduled job that had already started when the caller
 * asked ends without refreshing a connection that was not due, and the next ask adds the
 * caller's own job (the deterministic job id still allows one at a time).
 */
export function refreshAndWait(
  ctx: Pick<LifecycleContext, 'db' | 'queues'>,
  connection: Connection,
  timeoutMs: number,
): Promise<Connection | undefined> {
  return singleFlight(refreshes, versionKey(connection), async () => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await requestRefresh(ctx, connection.id, 'api', connection.tokenVersion);
      const left = deadline - Date.now();
      const changed = await waitForNewTokens(ctx, connection, Math.min(left, ASK_AGAIN_MS));
      if (changed !== undefined || left <= ASK_AGAIN_MS) return changed;
    }
  });
}

async function poll(
  ctx: Pick<LifecycleContext, 'db'>,
  before: Connection,
  timeoutMs: number,
): Promise<Connection | undefined> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  while (Date.now() < deadline) {
    await sleep(delay);
    const current = await readConnection(ctx, before.id);
    if (current === undefined) return undefined;
    if (current.tokenVersion !== before.tokenVersion || current.status !== before.status) {
      return current;
    }
    delay = Math.min(delay * 2, 250);
  }
  return undefined;
}

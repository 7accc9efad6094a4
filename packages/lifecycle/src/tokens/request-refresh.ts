import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionId } from '@tokenlane/core';
import type { Connection } from '@tokenlane/db';
import { jobIdFor } from '@tokenlane/queue';
import type { LifecycleContext } from '../context.js';
import { readConnection } from './batching.js';

/**
 * Runs the connection's single `refresh` job now: adds it, or joins the one already there
 * (DESIGN rule 4). A scheduled job still waiting for its time is promoted; one backing off
 * after a provider failure is left alone, so callers cannot hammer a struggling provider.
 */
export async function requestRefresh(
  ctx: LifecycleContext,
  connectionId: ConnectionId,
  trigger: 'api' | 'reauth' | 'operator',
  /** The version the caller saw; the job skips if the tokens moved past it meanwhile. */
  tokenVersion?: number,
): Promise<void> {
  const queue = ctx.queues.queue('refresh');
  const existing = await queue.getJob(jobIdFor('refresh', { connectionId, trigger }));
  if (existing === undefined) {
    await ctx.queues.enqueue('refresh', {
      connectionId,
      trigger,
      ...(tokenVersion === undefined ? {} : { tokenVersion }),
    });
    return;
  }
  if ((await existing.isDelayed()) && existing.attemptsMade === 0) {
    await existing.promote().catch(() => undefined);
  }
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
  ctx: LifecycleContext,
  connection: Connection,
  timeoutMs: number,
): Promise<Connection | undefined> {
  return singleFlight(waits, versionKey(connection), () => poll(ctx, connection, timeoutMs));
}

/**
 * The token API's refresh: asks for the connection's refresh job and waits for the new
 * tokens. Callers in one process that saw the same version share both the request and the
 * wait, so a thousand callers on one expired token cost two Redis calls and one poll loop.
 */
export function refreshAndWait(
  ctx: LifecycleContext,
  connection: Connection,
  timeoutMs: number,
): Promise<Connection | undefined> {
  return singleFlight(refreshes, versionKey(connection), async () => {
    await requestRefresh(ctx, connection.id, 'api', connection.tokenVersion);
    return waitForNewTokens(ctx, connection, timeoutMs);
  });
}

async function poll(
  ctx: LifecycleContext,
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

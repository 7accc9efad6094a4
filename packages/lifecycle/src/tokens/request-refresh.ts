import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionId } from '@tokenlane/core';
import type { Connection } from '@tokenlane/db';
import { jobIdFor } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { readConnection } from './batching.js';

/**
 * Runs the connection's single `refresh` job now: adds it, or joins the one already there
 * (DESIGN rule 4). A scheduled job still waiting for its time is promoted; one backing off
 * after a provider failure is left alone, so callers cannot hammer a struggling provider.
 */
export async function requestRefresh(
  rt: Runtime,
  connectionId: ConnectionId,
  trigger: 'api' | 'reauth' | 'operator',
  /** The version the caller saw; the job skips if the tokens moved past it meanwhile. */
  tokenVersion?: number,
): Promise<void> {
  const queue = rt.queues.queue('refresh');
  const existing = await queue.getJob(jobIdFor('refresh', { connectionId, trigger }));
  if (existing === undefined) {
    await rt.queues.enqueue('refresh', {
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

const inFlight = new Map<string, Promise<Connection | undefined>>();

/**
 * Waits until the connection's tokens move past `version` (or its status changes), up to
 * `timeoutMs`. Callers in one process share one wait per connection, so a thousand concurrent
 * token requests cost one poll loop, not a thousand. Polling the row (rather than listening
 * for the job) also sees refreshes made by another path, and jobs removed on completion.
 */
export function waitForNewTokens(
  rt: Runtime,
  connection: Connection,
  timeoutMs: number,
): Promise<Connection | undefined> {
  const key = `${connection.id}:${connection.tokenVersion}`;
  let wait = inFlight.get(key);
  if (wait === undefined) {
    wait = poll(rt, connection, timeoutMs).finally(() => inFlight.delete(key));
    inFlight.set(key, wait);
  }
  return wait;
}

const joined = new Map<string, Promise<Connection | undefined>>();

/**
 * The token API's refresh: asks for the connection's refresh job and waits for the new
 * tokens. Callers in one process that saw the same version share both the request and the
 * wait, so a thousand callers on one expired token cost two Redis calls and one poll loop.
 */
export function refreshAndWait(
  rt: Runtime,
  connection: Connection,
  timeoutMs: number,
): Promise<Connection | undefined> {
  const key = `${connection.id}:${connection.tokenVersion}`;
  let result = joined.get(key);
  if (result === undefined) {
    result = requestRefresh(rt, connection.id, 'api', connection.tokenVersion)
      .then(() => waitForNewTokens(rt, connection, timeoutMs))
      .finally(() => joined.delete(key));
    joined.set(key, result);
  }
  return result;
}

async function poll(
  rt: Runtime,
  before: Connection,
  timeoutMs: number,
): Promise<Connection | undefined> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  while (Date.now() < deadline) {
    await sleep(delay);
    const current = await readConnection(rt, before.id);
    if (current === undefined) return undefined;
    if (current.tokenVersion !== before.tokenVersion || current.status !== before.status) {
      return current;
    }
    delay = Math.min(delay * 2, 250);
  }
  return undefined;
}

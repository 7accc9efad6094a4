import type { ConnectionId, EventType } from '@tokenlane/core';
import { appendEvent, findEvent, type EventRecord } from '@tokenlane/db';
import { notifyJob, outboxJob } from '@tokenlane/lifecycle';
import { startWorkers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

export const WEBHOOK_SECRET = 'whsec_events-test-0123456789abcdef';

/** Writes one event the way the lifecycle does: in its own transaction. */
export async function append(
  rt: Runtime,
  connectionId: ConnectionId | undefined,
  type: EventType = 'connection.refreshed',
  extra: Record<string, string | number> = {},
): Promise<EventRecord> {
  return rt.db.transaction().execute((trx) =>
    appendEvent(trx, {
      type,
      connectionId,
      userId: 'user-events',
      provider: 'acme',
      data: {
        connectionId: connectionId ?? null,
        userId: 'user-events',
        provider: 'acme',
        status: 'active',
        ...extra,
      },
    }),
  );
}

export async function reload(rt: Runtime, event: EventRecord): Promise<EventRecord> {
  const row = await findEvent(rt.db, event.id);
  if (row === undefined) throw new Error(`event ${event.id} vanished`);
  return row;
}

/** The body docs/api.md promises for `event`. */
export function expectedBody(event: EventRecord): unknown {
  return {
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    data: event.data,
  };
}

/** Polls `check` until it holds (or throws after `timeoutMs`). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The delivery side of a worker on `rt`: `notify` and `outbox` workers, and the outbox relay
 * every 250 ms. Returns its stop.
 */
export async function startDelivery(
  rt: Runtime,
  notifyConcurrency = 1,
): Promise<() => Promise<void>> {
  const workers = startWorkers([notifyJob, outboxJob], rt, {
    connection: rt.workerConnection,
    prefix: rt.config.queuePrefix,
    concurrency: { notify: notifyConcurrency },
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  const { retention } = outboxJob;
  await rt.queues.queue('outbox').upsertJobScheduler(
    'outbox',
    { every: 250 },
    {
      name: 'outbox',
      data: {},
      opts: { removeOnComplete: retention.completed, removeOnFail: retention.failed },
    },
  );
  return async () => {
    await rt.queues.queue('outbox').removeJobScheduler('outbox');
    await Promise.all(workers.map((worker) => worker.close()));
  };
}

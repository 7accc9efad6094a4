import { randomUUID } from 'node:crypto';
import type { ConnectionId } from '@tokenlane/core';
import { refreshConnection, sealTokenSet, sweepDueRefreshes } from '@tokenlane/lifecycle';
import { startWorkers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { Secret } from '@tokenlane/vault';
import { Queue, Worker } from 'bullmq';
import { bareGrants, bareUpdates } from './bare.js';
import { openBenchRuntime, PROVIDER, type Infra } from './infra.js';

export const CONCURRENCY = 50;

export interface RefreshResult {
  readonly n: number;
  readonly concurrency: number;
  readonly refreshPerSec: number;
  readonly refreshed: number;
  readonly grants: number;
  readonly noopPerSec: number;
  readonly updatePerSec: number;
  readonly grantPerSec: number;
  readonly ratio: number;
  /** Mean time inside refreshConnection (Little's law: c / mean is the handler's ceiling). */
  readonly meanHandlerMs: number;
}

/** Inserts `n` active connections with sealed tokens, due at `dueAt`; returns their ids. */
export async function seedConnections(
  rt: Runtime,
  n: number,
  dueAt: Date,
  expiresAt: Date,
  userPrefix = 'user',
): Promise<ConnectionId[]> {
  const ids: ConnectionId[] = [];
  for (let start = 0; start < n; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 1000); i += 1) {
      const id = randomUUID() as ConnectionId;
      ids.push(id);
      const sealed = sealTokenSet(rt.keyRing, id, {
        accessToken: new Secret(`at-${id}`),
        refreshToken: new Secret(`rt-${id}`),
        tokenType: 'Bearer',
        expiresAt,
        metadata: {},
      });
      rows.push({
        id,
        user_id: `${userPrefix}-${i}`,
        provider: PROVIDER,
        status: 'active' as const,
        access_token_enc: sealed.accessTokenEnc ?? null,
        refresh_token_enc: sealed.refreshTokenEnc ?? null,
        token_type: 'Bearer',
        expires_at: expiresAt,
        refresh_due_at: dueAt,
        token_version: 1,
      });
    }
    await rt.db.db.insertInto('connections').values(rows).execute();
  }
  return ids;
}

/** Resolves once `count` jobs completed on `worker`, or rejects after `timeoutMs`. */
function completions(worker: Worker, count: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = 0;
    const timer = setTimeout(() => {
      reject(new Error(`only ${done}/${count} jobs completed in ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      done += 1;
      if (done === count) {
        clearTimeout(timer);
        resolve();
      }
    };
    worker.on('completed', finish);
    worker.on('failed', finish);
  });
}

/** Section 1: end-to-end refreshes/s against a bare BullMQ no-op worker and a bare UPDATE loop. */
export async function benchRefresh(
  infra: Infra,
  n: number,
  timeoutMs: number,
): Promise<RefreshResult> {
  const { rt, close } = await openBenchRuntime(infra, 'refresh');
  const workers: Worker[] = [];
  try {
    const now = new Date();
    const ids = await seedConnections(rt, n, now, new Date(now.getTime() + 60_000));
    const prefix = rt.config.queuePrefix;
    const connection = rt.workerConnection;

    // Bare BullMQ: same Redis, same concurrency, a handler doing nothing.
    const noopQueue = new Queue('noop', { connection, prefix });
    const noop = new Worker('noop', async () => undefined, {
      connection,
      prefix,
      concurrency: CONCURRENCY,
    });
    workers.push(noop);
    await noop.waitUntilReady();
    const noopDone = completions(noop, n, timeoutMs);
    let started = performance.now();
    for (let i = 0; i < n; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
        name: 'noop',
        data: { i: i + k },
        opts: { removeOnComplete: true },
      }));
      await noopQueue.addBulk(batch);
    }
    await noopDone;
    const noopPerSec = n / ((performance.now() - started) / 1000);
    await noop.close();
    await noopQueue.obliterate({ force: true });
    await noopQueue.close();

    // tokenlane: sweep → queue → provider call → encrypt → compare-and-set → event.
    const grantsBefore = await infra.endpoint.grants();
    let refreshed = 0;
    let handlerMs = 0;
    const [worker] = startWorkers(
      {
        refresh: async ({ connectionId, trigger, tokenVersion }) => {
          const t0 = performance.now();
          const outcome = await refreshConnection(rt, connectionId as ConnectionId, {
            force: trigger !== 'schedule',
            ...(tokenVersion === undefined ? {} : { expectedVersion: tokenVersion }),
          });
          handlerMs += performance.now() - t0;
          if (outcome.status === 'refreshed') refreshed += 1;
          return outcome;
        },
      },
      { connection, prefix, queues: ['refresh'], concurrency: { refresh: CONCURRENCY } },
    );
    workers.push(worker!);
    await worker!.waitUntilReady();
    const refreshDone = completions(worker!, n, timeoutMs);
    started = performance.now();
    let enqueued = 0;
    while (enqueued < n) {
      const swept = await sweepDueRefreshes(rt, { lookAheadMs: 0, limit: 20_000 });
      if (swept.enqueued === 0) break;
      enqueued += swept.enqueued;
    }
    await refreshDone;
    const refreshPerSec = n / ((performance.now() - started) / 1000);
    const grants = (await infra.endpoint.grants()) - grantsBefore;
    await worker!.close();

    // The bare parts at the same concurrency: Postgres UPDATE by id, the provider alone.
    const updatePerSec = await bareUpdates(dbUrl(rt), ids, CONCURRENCY);
    const grantPerSec = await bareGrants(infra.endpoint.url, n, CONCURRENCY);
    return {
      n,
      concurrency: CONCURRENCY,
      refreshPerSec,
      refreshed,
      grants,
      noopPerSec,
      updatePerSec,
      grantPerSec,
      ratio: refreshPerSec / noopPerSec,
      meanHandlerMs: handlerMs / n,
    };
  } finally {
    await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    await close();
  }
}

export function dbUrl(rt: Runtime): string {
  const url = rt.config.databaseUrl;
  if (url === undefined) throw new Error('bench needs a Postgres URL');
  return url;
}

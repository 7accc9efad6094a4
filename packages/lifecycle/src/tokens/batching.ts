import type { ConnectionId } from '@tokenlane/core';
import {
  findConnections,
  storeRefreshedTokens,
  type Connection,
  type Database,
  type RefreshWrite,
  type RefreshWriteRequest,
} from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { forgetProxyCredential } from './credential-cache.js';
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

/**
 * Gathers the database reads and writes of concurrent refreshes and token requests into one
 * statement per tick. A worker runs ~50 refreshes at once and the token API serves many
 * callers at once; one round trip per batch instead of one per caller is most of the
 * difference between tokenlane and a bare queue (bench/, section 1). Nothing is cached: a
 * load always reads the row as it is now.
 */
export interface ConnectionBatches {
  /** The connection, or undefined: batched with every other read of this tick. */
  read(id: ConnectionId): Promise<Connection | undefined>;
  /** Stores one refresh (compare-and-set): batched with every other of this tick. */
  storeRefresh(request: RefreshWriteRequest): Promise<RefreshWrite | undefined>;
}

const MAX_BATCH = 100;
// After the event loop's poll phase: every I/O callback that ran in this turn (provider
// answers, job fetches, HTTP requests arriving together) joins the batch, at no added delay.
const batchScheduleFn = (run: () => void) => setImmediate(run);
const batchesByDatabase = new WeakMap<Kysely<Database>, ConnectionBatches>();

/** The batches of one database (one per process), created on first use. */
export function connectionBatches(database: Kysely<Database>): ConnectionBatches {
  let batches = batchesByDatabase.get(database);
  if (batches === undefined) {
    batches = createBatches(database);
    batchesByDatabase.set(database, batches);
  }
  return batches;
}

/** Reads a connection now, in one query with the other reads of this tick (token API, polls). */
export function readConnection(
  ctx: Pick<LifecycleContext, 'db'>,
  id: ConnectionId,
): Promise<Connection | undefined> {
  return connectionBatches(ctx.db).read(id);
}

/** One batched read: every id asked for in this tick, one query, answers in request order. */
function readLoader<T extends { readonly id: ConnectionId }>(
  find: (ids: readonly ConnectionId[]) => Promise<T[]>,
): DataLoader<ConnectionId, T | undefined> {
  return new DataLoader<ConnectionId, T | undefined>(
    async (ids) => {
      const byId = new Map((await find(ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    },
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn },
  );
}

function createBatches(db: Kysely<Database>): ConnectionBatches {
  const reads = readLoader((ids) => findConnections(db, ids));
  const writes = new DataLoader<RefreshWriteRequest, RefreshWrite | undefined>(
    async (requests) => {
      try {
        return await storeRefreshedTokens(db, requests);
      } catch (error) {
        if (requests.length === 1) throw error;
        // One bad request must not fail its neighbours: write each alone, each with its error.
        return Promise.all(
          requests.map((request) =>
            storeRefreshedTokens(db, [request]).then(
              ([written]) => written,
              (failure: unknown) =>
                failure instanceof Error ? failure : new Error(String(failure)),
            ),
          ),
        );
      }
    },
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn },
  );
  return {
    read: (id) => reads.load(id),
    // A refresh stored here replaces the token a proxied call in this process may hold.
    storeRefresh: (request) =>
      writes.load(request).finally(() => {
        forgetProxyCredential(db, request.connection.id);
      }),
  };
}

import type { ConnectionId } from '@tokenlane/core';
import { findConnection, insertConnection, type Connection } from '@tokenlane/db';
import type { KyselyPlugin, PluginTransformQueryArgs, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectionInput,
  openMigrated,
  refreshedTokens,
  TEST_DIALECTS,
  type TestDatabaseHandle,
} from '@tokenlane/test-support';
import { connectionBatches } from './batching.js';

/** Counts the statements kysely sends, by kind, so a test can tell batched from one-by-one. */
class StatementCounter implements KyselyPlugin {
  readonly kinds: string[] = [];
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    this.kinds.push(node.kind);
    return node;
  }
  transformResult: KyselyPlugin['transformResult'] = ({ result }) => Promise.resolve(result);
}

describe.each(TEST_DIALECTS)('connection batches on $kind', (dialect) => {
  let handle: TestDatabaseHandle;
  beforeAll(async () => {
    handle = await openMigrated(dialect, 'batching');
  });
  afterAll(async () => {
    await handle.dispose();
  });

  it('answers concurrent reads, each caller its own row or undefined, never from a cache', async () => {
    const rows = await Promise.all(
      [0, 1, 2].map(() => insertConnection(handle.db, connectionInput())),
    );
    const counter = new StatementCounter();
    const batches = connectionBatches(handle.db.withPlugin(counter));
    const missing = '00000000-0000-4000-8000-000000000000' as ConnectionId;
    const read = await Promise.all([
      ...rows.map((row) => batches.read(row.id)),
      batches.read(missing),
    ]);
    expect(read.map((row) => row?.id)).toEqual([...rows.map((row) => row.id), undefined]);
    // Four reads in one tick: one SELECT.
    expect(counter.kinds).toEqual(['SelectQueryNode']);
    // Not cached: a later read sees a later write.
    await handle.db.updateTable('connections').set({ token_type: 'mac' }).execute();
    expect((await batches.read(rows[0]!.id))?.tokenType).toBe('mac');
  });

  it('stores concurrent refreshes of one tick in one statement', async () => {
    const rows = await Promise.all(
      [0, 1, 2].map(() => insertConnection(handle.db, connectionInput())),
    );
    const counter = new StatementCounter();
    const batches = connectionBatches(handle.db.withPlugin(counter));
    const written = await Promise.all(
      rows.map((row) => batches.storeRefresh({ connection: row, tokens: refreshedTokens() })),
    );
    expect(written.map((row) => row?.tokenVersion)).toEqual(
      rows.map((row) => row.tokenVersion + 1),
    );
    expect(counter.kinds).toHaveLength(1);
  });

  it('a write that fails its batch is retried alone: the others are stored, it gets its error', async () => {
    const rows = await Promise.all(
      [0, 1].map(() => insertConnection(handle.db, connectionInput())),
    );
    const batches = connectionBatches(handle.db);
    // Not a uuid: the batch statement's cast fails, as one bad row would fail all of them.
    const broken = { ...rows[0]!, id: 'not-a-uuid' as ConnectionId } satisfies Connection;
    const results = await Promise.allSettled([
      batches.storeRefresh({ connection: rows[0]!, tokens: refreshedTokens() }),
      batches.storeRefresh({ connection: broken, tokens: refreshedTokens() }),
      batches.storeRefresh({ connection: rows[1]!, tokens: refreshedTokens() }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    for (const row of rows) {
      expect((await findConnection(handle.db, row.id))?.tokenVersion).toBe(row.tokenVersion + 1);
    }
  });
});

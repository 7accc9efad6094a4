import type { ConnectionId } from '@tokenlane/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertConnection, listConnections, updateConnection } from './connections.js';
import { lastErrorCodes, refreshActivity } from './console.js';
import { appendEvent, listConnectionEvents } from './events.js';
import {
  connectionInput,
  openMigrated,
  TEST_DIALECTS,
  type TestDatabaseHandle,
} from '@tokenlane/test-support';

describe.each(TEST_DIALECTS)('console reads on $kind', (dialect) => {
  let handle: TestDatabaseHandle;
  const ids: ConnectionId[] = [];
  beforeAll(async () => {
    handle = await openMigrated(dialect, 'console');
    for (const [i, code] of [null, 'timeout', 'invalid_client', 'timeout'].entries()) {
      const input = connectionInput({ userId: `console-${i}` });
      await insertConnection(handle.db, input);
      if (code !== null) {
        await updateConnection(handle.db, input.id, {
          lastErrorCode: code,
          lastErrorAt: new Date(),
        });
      }
      ids.push(input.id);
    }
  });
  afterAll(async () => {
    await handle.dispose();
  });

  it('filters the list by last error code, keyset paged', async () => {
    const first = await listConnections(handle.db, { lastErrorCode: 'timeout', limit: 1 });
    expect(first.map((c) => c.id)).toEqual([ids[1]]);
    const second = await listConnections(handle.db, {
      lastErrorCode: 'timeout',
      after: first[0]!.id,
      limit: 5,
    });
    expect(second.map((c) => c.id)).toEqual([ids[3]]);
    expect(await lastErrorCodes(handle.db)).toEqual(['invalid_client', 'timeout']);
  });

  it("lists a connection's events newest first and counts refresh attempts per hour", async () => {
    const id = ids[0]!;
    for (const type of [
      'connection.refreshed',
      'connection.refresh_failed',
      'connection.refreshed',
    ] as const) {
      await handle.db.transaction().execute((trx) =>
        appendEvent(trx, {
          type,
          connectionId: id,
          userId: 'console-0',
          provider: 'acme',
          data: {},
        }),
      );
    }
    const events = await listConnectionEvents(handle.db, id, 2);
    expect(events.map((e) => e.type)).toEqual([
      'connection.refreshed',
      'connection.refresh_failed',
    ]);
    expect(events[0]!.seq).toBeGreaterThan(events[1]!.seq);
    expect(await listConnectionEvents(handle.db, 'not-a-uuid' as ConnectionId, 5)).toEqual([]);

    const hours = await refreshActivity(handle.db, new Date(Date.now() - 3_600_000));
    expect(hours.reduce((n, h) => n + h.refreshed, 0)).toBe(2);
    expect(hours.reduce((n, h) => n + h.failed, 0)).toBe(1);
    expect(hours.every((h) => h.hour.getUTCMinutes() === 0)).toBe(true);
    expect(await refreshActivity(handle.db, new Date(Date.now() + 3_600_000))).toEqual([]);
  });
});

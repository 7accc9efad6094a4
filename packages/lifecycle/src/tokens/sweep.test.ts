import { randomUUID } from 'node:crypto';
import type { ConnectionId } from '@tokenlane/core';
import type { ClaimedRefresh } from '@tokenlane/db';
import { describe, expect, it } from 'vitest';
import { BATCH_WINDOW_MS, REFRESH_BATCH_MAX } from './refresh-batch.job.js';
import { batchesOf } from './sweep.js';

const T0 = Date.parse('2026-12-06T12:00:00Z');
const row = (provider: string, atMs: number): ClaimedRefresh => ({
  id: randomUUID() as ConnectionId,
  provider,
  refreshDueAt: new Date(T0 + atMs),
});

describe('batchesOf', () => {
  it('keeps each batch to one provider, in due order', () => {
    const rows = [row('a', 0), row('b', 10), row('a', 20), row('b', 30)];
    const batches = batchesOf(rows);
    expect(batches.map((batch) => batch.map((r) => r.provider))).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(batches[0]).toEqual([rows[0], rows[2]]);
  });

  it('starts a new batch past the window from its first row, or at the size limit', () => {
    const spread = [row('a', 0), row('a', BATCH_WINDOW_MS), row('a', BATCH_WINDOW_MS + 1)];
    expect(batchesOf(spread).map((batch) => batch.length)).toEqual([2, 1]);
    const many = Array.from({ length: REFRESH_BATCH_MAX * 2 + 5 }, () => row('a', 0));
    expect(batchesOf(many).map((batch) => batch.length)).toEqual([
      REFRESH_BATCH_MAX,
      REFRESH_BATCH_MAX,
      5,
    ]);
    const all = batchesOf(many).flat();
    expect(new Set(all.map((r) => r.id)).size).toBe(many.length);
  });
});

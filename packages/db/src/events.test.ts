import type { EventId } from '@tokenlane/core';
import { newConnectionId, newEventId } from '@tokenlane/core';
import { describe, expect, it, vi } from 'vitest';
import {
  appendEvent,
  findEvent,
  listEvents,
  listUndeliveredEvents,
  markDelivered,
  recordDeliveryFailure,
} from './events.js';
import { migratedPerSuite, TEST_DIALECTS } from '@tokenlane/test-support';

describe.each(TEST_DIALECTS)('events on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'events');

  it('appends, finds and pages by seq, oldest first', async () => {
    const connectionId = newConnectionId();
    const appended = [];
    for (let i = 0; i < 5; i++) {
      appended.push(
        await appendEvent(handle.db, {
          type: 'connection.refreshed',
          connectionId,
          userId: 'u1',
          provider: 'oura',
          data: { i, nested: { ok: true, list: ['a', null] } },
        }),
      );
    }
    expect(appended.map((e) => e.seq)).toEqual(
      [...appended.map((e) => e.seq)].sort((a, b) => a - b),
    );
    expect(typeof appended[0]!.seq).toBe('number');
    expect(await findEvent(handle.db, appended[2]!.id)).toEqual(appended[2]);
    expect(appended[2]!.data).toEqual({ i: 2, nested: { ok: true, list: ['a', null] } });

    const start = appended[0]!.seq - 1;
    // Another test file's open write transaction on the shared cluster delays visibility.
    await vi.waitFor(async () => {
      expect(await listEvents(handle.db, { after: start, limit: 10 })).toHaveLength(5);
    });
    const pages = [];
    let after: number | undefined = start;
    for (;;) {
      const page = await listEvents(handle.db, { after, limit: 2 });
      pages.push(page.map((e) => e.id));
      if (page.length < 2) break;
      after = page.at(-1)!.seq;
    }
    expect(pages.flat()).toEqual(appended.map((e) => e.id));
    expect(await findEvent(handle.db, newEventId())).toBeUndefined();
    expect(await findEvent(handle.db, 'x' as EventId)).toBeUndefined();
  });

  it('records delivery attempts, and delivery once', async () => {
    const event = await appendEvent(handle.db, { type: 'link.created', data: {} });
    expect((await listUndeliveredEvents(handle.db, 1000)).map((e) => e.id)).toContain(event.id);
    await recordDeliveryFailure(handle.db, event.id, 'http_503');
    expect(await findEvent(handle.db, event.id)).toMatchObject({
      deliveryAttempts: 1,
      lastDeliveryError: 'http_503',
      deliveredAt: null,
    });
    await markDelivered(handle.db, event.id);
    const delivered = await findEvent(handle.db, event.id);
    expect(delivered).toMatchObject({ deliveryAttempts: 2, lastDeliveryError: null });
    expect(delivered?.deliveredAt).toBeInstanceOf(Date);
    await markDelivered(handle.db, event.id);
    expect(await findEvent(handle.db, event.id)).toEqual(delivered);
    expect((await listUndeliveredEvents(handle.db, 1000)).map((e) => e.id)).not.toContain(event.id);
  });
});

describe('event cursor on postgres', () => {
  const handle = migratedPerSuite(TEST_DIALECTS[0]!, 'events_cursor');

  it('never lists a later seq while an earlier one is still being committed', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appendedSlow!: () => void;
    const slowAppended = new Promise<void>((resolve) => (appendedSlow = resolve));
    const slow = handle.db.transaction().execute(async (trx) => {
      const event = await appendEvent(trx, { type: 'link.created', data: { slow: true } });
      appendedSlow();
      await held;
      return event;
    });
    await slowAppended;
    const fast = await appendEvent(handle.db, { type: 'link.created', data: { slow: false } });
    // The fast event is committed with a higher seq, but listing it now would let a reader's
    // cursor pass the slow one for good.
    expect(await listEvents(handle.db, { limit: 10 })).toEqual([]);
    release();
    const slowEvent = await slow;
    expect(slowEvent.seq).toBeLessThan(fast.seq);
    await vi.waitFor(async () => {
      const listed = await listEvents(handle.db, { limit: 10 });
      expect(listed.map((e) => e.id)).toEqual([slowEvent.id, fast.id]);
    });
  });
});

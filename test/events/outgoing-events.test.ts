import { newConnectionId, type ConnectionId } from '@tokenlane/core';
import type { EventRecord } from '@tokenlane/db';
import type { Runtime } from '@tokenlane/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime } from '../support/runtime.js';
import { startReceiver, type Receiver } from './receiver.js';
import { WEBHOOK_SECRET, append, expectedBody, reload, waitFor, startDelivery } from './support.js';

let receiver: Receiver;
let opened: Awaited<ReturnType<typeof openTestRuntime>>;
let rt: Runtime;
let stopDelivery: () => Promise<void>;

beforeAll(async () => {
  receiver = await startReceiver(WEBHOOK_SECRET);
  opened = await openTestRuntime({
    providers: {},
    env: { TOKENLANE_WEBHOOK_URL: receiver.url, TOKENLANE_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
  rt = opened.runtime;
  // What the worker service runs: the two handlers, several notify jobs in parallel, and the
  // relay as a job scheduler (faster here than the production second).
  stopDelivery = await startDelivery(rt, 8);
});

afterAll(async () => {
  await stopDelivery();
  await opened.dispose();
  await receiver.close();
});

/** What the first test writes into each event's data. */
interface Plan {
  readonly connectionId: string | null;
  readonly round: number;
}

function planOf(event: EventRecord): Plan {
  return event.data as unknown as Plan;
}

async function allDelivered(events: readonly EventRecord[]): Promise<boolean> {
  const rows = await Promise.all(events.map((event) => reload(rt, event)));
  return rows.every((row) => row.deliveredAt !== null);
}

/**
 * The receiver's view of order: no request for an event arrives before every older event of
 * its connection was acknowledged with a 2xx. Also checks each request's signature and body.
 */
function expectSignedAndOrdered(events: readonly EventRecord[], since: number): void {
  const byId = new Map(events.map((event) => [event.id as string, event]));
  const acknowledged = new Set<string>();
  const requests = receiver.received.slice(since).filter((r) => byId.has(r.eventId));
  for (const request of requests) {
    const event = byId.get(request.eventId)!;
    expect(request.signatureOk, `signature of ${event.id}`).toBe(true);
    expect(JSON.parse(request.body)).toEqual(expectedBody(event));
    const pending = events.filter(
      (older) =>
        event.connectionId !== null &&
        older.connectionId === event.connectionId &&
        older.seq < event.seq &&
        !acknowledged.has(older.id),
    );
    expect(
      pending.map((older) => older.seq),
      `sent seq ${event.seq} too early`,
    ).toEqual([]);
    if (request.status >= 200 && request.status < 300) acknowledged.add(request.eventId);
  }
  // At-least-once: every event was acknowledged (a duplicate would be allowed, a loss not).
  expect(events.filter((event) => !acknowledged.has(event.id))).toEqual([]);
}

describe('outgoing events through the notify and outbox workers', () => {
  it('arrive signed, in order per connection, and survive a receiver that fails the first attempts', async () => {
    const since = receiver.received.length;
    const connections: ConnectionId[] = [newConnectionId(), newConnectionId(), newConnectionId()];
    // The plan rides in each event's data, so the receiver knows it before the event exists:
    // each connection's first event fails twice, odd rounds once, and one 503 says Retry-After: 1.
    const failuresOf = ({ connectionId, round }: Plan) =>
      connectionId !== null && round === 0 ? 2 : round % 2;
    const saysRetryAfter = ({ connectionId, round }: Plan) =>
      connectionId === connections[0] && round === 1;
    receiver.respond = ({ attempt, body }) => {
      const { data } = JSON.parse(body) as { data: Plan };
      if (attempt > failuresOf(data)) return { status: 200 };
      return saysRetryAfter(data) && attempt === 1
        ? { status: 503, headers: { 'retry-after': '1' } }
        : { status: 503 };
    };

    const events: EventRecord[] = [];
    for (let round = 0; round < 4; round += 1) {
      for (const connectionId of connections) {
        events.push(await append(rt, connectionId, 'connection.refreshed', { round }));
      }
      if (round < 2) events.push(await append(rt, undefined, 'link.created', { round }));
    }

    await waitFor('every event delivered', () => allDelivered(events), 45_000);
    expectSignedAndOrdered(events, since);

    for (const event of events) {
      expect(await reload(rt, event)).toMatchObject({
        deliveryAttempts: failuresOf(planOf(event)) + 1,
        lastDeliveryError: null,
      });
    }
    const retryAfterEvent = events.find((event) => saysRetryAfter(planOf(event)))!;
    const retried = receiver.received.filter((r) => r.eventId === retryAfterEvent.id);
    expect(retried.map((r) => r.status)).toEqual([503, 200]);
    // Retry-After: 1 was honored (Redis timestamps are ms; allow scheduling slack below).
    expect(retried[1]!.at - retried[0]!.at).toBeGreaterThanOrEqual(950);
  }, 60_000);

  it('delivers everything, in order, once a receiver that was down comes back', async () => {
    receiver.respond = () => ({ status: 204 });
    await receiver.stop();
    const since = receiver.received.length;
    const connections = [newConnectionId(), newConnectionId()];
    const events: EventRecord[] = [];
    try {
      for (let round = 0; round < 3; round += 1) {
        for (const connectionId of connections) events.push(await append(rt, connectionId));
      }
      events.push(await append(rt, undefined, 'link.created'));
      const heads = [events[0]!, events[1]!];
      await waitFor('failed attempts while the receiver is down', async () => {
        const rows = await Promise.all(heads.map((event) => reload(rt, event)));
        return rows.every(
          (row) => row.deliveryAttempts >= 2 && row.lastDeliveryError === 'network',
        );
      });
      const later = await reload(rt, events[events.length - 2]!);
      expect(later.deliveryAttempts).toBe(0);
    } finally {
      await receiver.start();
    }

    await waitFor('every event delivered after the outage', () => allDelivered(events), 45_000);
    expectSignedAndOrdered(events, since);
  }, 60_000);
});

import { newConnectionId, newEventId, type EventId } from '@tokenlane/core';
import { listEvents } from '@tokenlane/db';
import { DeliveryError, deliverEvent, notifyJob, relayOutbox } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime } from '../support/runtime.js';
import { startReceiver, type Receiver } from './receiver.js';
import { WEBHOOK_SECRET, append, expectedBody, reload } from './support.js';

let receiver: Receiver;
let opened: Awaited<ReturnType<typeof openTestRuntime>>;
let rt: Runtime;

beforeAll(async () => {
  receiver = await startReceiver(WEBHOOK_SECRET);
  opened = await openTestRuntime({
    providers: {},
    env: { TOKENLANE_WEBHOOK_URL: receiver.url, TOKENLANE_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
  rt = opened.runtime;
});

afterAll(async () => {
  await opened.dispose();
  await receiver.close();
});

async function notifyJobState(eventId: string): Promise<string | undefined> {
  const job = await rt.queues
    .queue('notify')
    .getJob(notifyJob.jobId({ eventId: eventId as EventId }));
  return job === undefined ? undefined : job.getState();
}

describe('deliverEvent', () => {
  it('POSTs the signed event once and then reports it as already delivered', async () => {
    receiver.respond = () => ({ status: 200 });
    const event = await append(rt, newConnectionId(), 'connection.created');
    expect(await deliverEvent(rt, event.id)).toEqual({ status: 'delivered', next: null });
    expect(await deliverEvent(rt, event.id)).toEqual({ status: 'already_delivered', next: null });

    const requests = receiver.received.filter((r) => r.eventId === event.id);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.signatureOk).toBe(true);
    expect(JSON.parse(request!.body)).toEqual(expectedBody(event));
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'tokenlane',
      'tokenlane-event-id': event.id,
    });
    expect(request!.headers['tokenlane-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const after = await reload(rt, event);
    expect(after.deliveredAt).not.toBeNull();
    expect(after).toMatchObject({ deliveryAttempts: 1, lastDeliveryError: null });
  });

  it('records a refusal as http_<status> and carries Retry-After, never the body or secret', async () => {
    receiver.respond = () => ({ status: 503, headers: { 'retry-after': '7' } });
    const event = await append(rt, newConnectionId());
    const error = await deliverEvent(rt, event.id).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'http_status', status: 503, retryAfterMs: 7_000 });
    expect((error as DeliveryError).recordedAs).toBe('http_503');
    const shown = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(shown).not.toContain(WEBHOOK_SECRET);
    expect(shown).not.toContain('/hooks/tokenlane');
    expect(opened.logs.join('\n')).not.toContain(WEBHOOK_SECRET);
    expect(await reload(rt, event)).toMatchObject({
      deliveredAt: null,
      deliveryAttempts: 1,
      lastDeliveryError: 'http_503',
    });
  });

  it('records an unreachable receiver as network', async () => {
    const event = await append(rt, newConnectionId());
    await receiver.stop();
    try {
      await expect(deliverEvent(rt, event.id)).rejects.toMatchObject({ code: 'network' });
    } finally {
      await receiver.start();
    }
    expect(await reload(rt, event)).toMatchObject({
      deliveredAt: null,
      lastDeliveryError: 'network',
    });
  });

  it('will not send an event before the older ones of its connection, and chains to the next', async () => {
    receiver.respond = () => ({ status: 204 });
    const connectionId = newConnectionId();
    const first = await append(rt, connectionId, 'connection.created');
    const second = await append(rt, connectionId, 'connection.refreshed');
    const before = receiver.received.length;

    expect(await deliverEvent(rt, second.id)).toEqual({ status: 'blocked', by: first.id });
    expect(receiver.received).toHaveLength(before);
    expect(await deliverEvent(rt, first.id)).toEqual({ status: 'delivered', next: second.id });
    expect(await notifyJobState(second.id)).toBe('waiting');
    expect(await deliverEvent(rt, second.id)).toEqual({ status: 'delivered', next: null });
    expect(receiver.received.slice(before).map((r) => r.eventId)).toEqual([first.id, second.id]);
  });

  it('answers not_found for an unknown event', async () => {
    expect(await deliverEvent(rt, newEventId())).toEqual({
      status: 'not_found',
    });
  });
});

describe('relayOutbox', () => {
  it('enqueues only the oldest undelivered event of each connection, and every unconnected one', async () => {
    const a = newConnectionId();
    const b = newConnectionId();
    const a1 = await append(rt, a, 'connection.created');
    const a2 = await append(rt, a, 'connection.refreshed');
    const loose = await append(rt, undefined, 'link.created');
    const b1 = await append(rt, b, 'connection.created');

    const outcome = await relayOutbox(rt);
    expect(outcome.offered).toBeGreaterThanOrEqual(3);
    for (const event of [a1, loose, b1]) expect(await notifyJobState(event.id)).toBe('waiting');
    expect(await notifyJobState(a2.id)).toBeUndefined();
    // Relaying again adds nothing: the deterministic job ids are taken.
    const waiting = await rt.queues.queue('notify').getWaitingCount();
    await relayOutbox(rt);
    expect(await rt.queues.queue('notify').getWaitingCount()).toBe(waiting);
  });
});

describe('relayOutbox and a notify job that can never run', () => {
  it('frees an old head whose job lost its place in the queue (a failover), and no young one', async () => {
    const connection = newConnectionId();
    const head = await append(rt, connection, 'connection.created');
    await relayOutbox(rt);
    const queue = rt.queues.queue('notify');
    const jobId = notifyJob.jobId({ eventId: head.id });
    // What a failover can leave: the job's hash without its entry in the wait list.
    expect(await rt.redis.lrem(queue.keys.wait!, 0, jobId)).toBe(1);
    expect(await notifyJobState(head.id)).toBe('unknown');
    // Written just now: left alone (its job may be about to run).
    await relayOutbox(rt);
    expect(await notifyJobState(head.id)).toBe('unknown');
    // Undelivered for longer than STUCK_HEAD_MS: its job is made anew, and runs.
    await sql`update events set created_at = now() - interval '2 minutes' where id = ${head.id}`.execute(
      rt.db,
    );
    await relayOutbox(rt);
    expect(await notifyJobState(head.id)).toBe('waiting');
  });
});

describe('without a webhook', () => {
  it('sends nothing, enqueues nothing, and keeps events readable through the events API', async () => {
    const bare = await openTestRuntime({ providers: {} });
    try {
      const before = receiver.received.length;
      const event = await append(bare.runtime, newConnectionId(), 'connection.created');
      expect(await relayOutbox(bare.runtime)).toEqual({ offered: 0 });
      expect(await bare.runtime.queues.queue('notify').count()).toBe(0);
      expect(await deliverEvent(bare.runtime, event.id)).toEqual({ status: 'no_webhook' });
      expect(receiver.received).toHaveLength(before);
      expect(await reload(bare.runtime, event)).toMatchObject({
        deliveredAt: null,
        deliveryAttempts: 0,
      });
      const listed = await listEvents(bare.runtime.db, { limit: 10 });
      expect(listed.map((e) => e.id)).toEqual([event.id]);
    } finally {
      await bare.dispose();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { newConnectionId } from '@tokenlane/core';
import type { EventRecord } from '@tokenlane/db';
import { verifyWebhook } from '@tokenlane/client';
import type { Runtime } from '@tokenlane/runtime';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime } from '../support/runtime.js';
import { startReceiver, type Received, type Receiver } from './receiver.js';
import { append, expectedBody, reload, waitFor, startDelivery } from './support.js';

/** A secret in the form Standard Webhooks defines: `whsec_` and base64 of random bytes. */
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

let receiver: Receiver;
let opened: Awaited<ReturnType<typeof openTestRuntime>>;
let rt: Runtime;
let stopDelivery: () => Promise<void>;

beforeAll(async () => {
  receiver = await startReceiver(SECRET);
  opened = await openTestRuntime({
    providers: {},
    env: { TOKENLANE_WEBHOOK_URL: receiver.url, TOKENLANE_WEBHOOK_SECRET: SECRET },
  });
  rt = opened.runtime;
  stopDelivery = await startDelivery(rt);
});

afterAll(async () => {
  await stopDelivery();
  await opened.dispose();
  await receiver.close();
});

/** What a receiver written with the `standardwebhooks` library does with one request. */
function receiverVerifies(request: Received, secret = SECRET): unknown {
  const headers = Object.fromEntries(
    ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [
      name,
      String(request.headers[name]),
    ]),
  );
  return new Webhook(secret).verify(request.body, headers);
}

describe('Standard Webhooks on real deliveries', () => {
  it('verify with the standardwebhooks library, keep webhook-id across retries, and fail when tampered', async () => {
    const since = receiver.received.length;
    // Every event's first attempt is refused, so each arrives at least twice.
    receiver.respond = ({ attempt }) => ({ status: attempt === 1 ? 503 : 204 });
    const connectionId = newConnectionId();
    const events: EventRecord[] = [];
    for (let round = 0; round < 3; round += 1) {
      events.push(await append(rt, connectionId, 'connection.refreshed', { round }));
    }
    events.push(await append(rt, undefined, 'link.created'));
    await waitFor('every event delivered', async () => {
      const rows = await Promise.all(events.map((event) => reload(rt, event)));
      return rows.every((row) => row.deliveredAt !== null);
    });

    const requests = receiver.received.slice(since);
    for (const event of events) {
      const attempts = requests.filter((request) => request.eventId === event.id);
      expect(attempts.length, event.id).toBeGreaterThanOrEqual(2);
      for (const request of attempts) {
        expect(request.headers['webhook-id']).toBe(event.id);
        expect(request.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
        expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
        expect(receiverVerifies(request)).toEqual(expectedBody(event));
        expect(verifyWebhook(request.body, request.headers, SECRET)).toBe(true);
        expect(request.headers['tokenlane-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      }
    }

    const sample = requests[requests.length - 1]!;
    const tampered = { ...sample, body: sample.body.replace('"type"', '"typE"') };
    expect(() => receiverVerifies(tampered)).toThrow();
    expect(verifyWebhook(tampered.body, tampered.headers, SECRET)).toBe(false);
    const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
    expect(() => receiverVerifies(sample, otherSecret)).toThrow();
    const replayed = { ...sample.headers, 'webhook-id': newConnectionId() as string };
    expect(verifyWebhook(sample.body, replayed, SECRET)).toBe(false);
  });
});

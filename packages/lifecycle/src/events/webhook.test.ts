import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newConnectionId, newEventId, type ConnectionId } from '@tokenlane/core';
import type { EventRecord } from '@tokenlane/db';
import { verifyEventSignature } from '@tokenlane/vault';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from './errors.js';
import { deliverableHeads } from './ordering.js';
import { processWebhookResponse, sendWebhookRequest, webhookRequest } from './webhook.js';

const secret = 'whsec_unit-0123456789';
const servers: Server[] = [];
const agents: Agent[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

function event(seq: number, connectionId: ConnectionId | null = null): EventRecord {
  return {
    id: newEventId(),
    seq,
    type: 'connection.refreshed',
    connectionId,
    linkSessionId: null,
    userId: 'u',
    provider: 'acme',
    data: { connectionId, note: 'é ✓' },
    createdAt: new Date('2030-01-02T03:04:05.678Z'),
    deliveredAt: null,
    deliveryAttempts: 0,
    lastDeliveryError: null,
  };
}

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/private/path?key=abc`;
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DeliveryError)) throw new Error('expected a DeliveryError');
  return error;
}

describe('webhookRequest', () => {
  it('signs exactly the bytes it sends, the body docs/api.md describes', () => {
    const e = event(1, newConnectionId());
    const req = webhookRequest({ url: 'https://b.example/h', secret }, e, 1_900_000_000_500);
    expect(JSON.parse(req.body)).toEqual({
      id: e.id,
      type: e.type,
      createdAt: '2030-01-02T03:04:05.678Z',
      data: e.data,
    });
    expect(req.signature).toMatch(/^t=1900000000,v1=[0-9a-f]{64}$/);
    expect(verifyEventSignature(secret, req.body, req.signature, { now: 1_900_000_000 })).toBe(
      true,
    );
  });
});

describe('sendWebhookRequest + processWebhookResponse', () => {
  it('turns a non-2xx answer into http_<status> with Retry-After, and keeps the path out', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(429, { 'retry-after': '3' }).end('busy');
    });
    const req = webhookRequest({ url, secret }, event(1), Date.now());
    const response = await sendWebhookRequest(req);
    expect(response).toEqual({ status: 429, retryAfter: '3' });
    const error = await failure(
      Promise.resolve().then(() => {
        processWebhookResponse(response, url);
      }),
    );
    expect(error).toMatchObject({ code: 'http_status', status: 429, retryAfterMs: 3_000 });
    expect(error.recordedAs).toBe('http_429');
    expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/private|key=abc|busy/);
  });

  it('accepts any 2xx', () => {
    expect(() => {
      processWebhookResponse({ status: 202, retryAfter: undefined }, 'http://x');
    }).not.toThrow();
  });

  it('classifies a receiver that never answers as timeout', async () => {
    const url = await serve(() => undefined);
    const agent = new Agent({ headersTimeout: 100 });
    agents.push(agent);
    const error = await failure(
      sendWebhookRequest(webhookRequest({ url, secret }, event(1), Date.now()), agent),
    );
    expect(error.recordedAs).toBe('timeout');
  });

  it('classifies a refused connection as network', async () => {
    const url = await serve(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(
      sendWebhookRequest(webhookRequest({ url, secret }, event(1), Date.now())),
    );
    expect(error.recordedAs).toBe('network');
    expect(error.message).not.toContain('private');
  });
});

describe('deliverableHeads', () => {
  it('keeps the oldest event per connection and every event without one', () => {
    const a = newConnectionId();
    const b = newConnectionId();
    const events = [
      event(5, a),
      event(2, b),
      event(3, null),
      event(1, a),
      event(4, null),
      event(6, b),
    ];
    expect(deliverableHeads(events).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });
});

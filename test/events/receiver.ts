import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@tokenlane/client';
import { verifyEventSignature } from '@tokenlane/vault';

/** One POST the receiver saw, in arrival order. */
export interface Received {
  readonly at: number;
  readonly eventId: string;
  /** 1 for the first request carrying this event id. */
  readonly attempt: number;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  /**
   * Checked with vault's verifyEventSignature and the client SDK's verifyWebhook, over
   * `Tokenlane-Signature` and over the Standard Webhooks headers.
   */
  readonly signatureOk: boolean;
  readonly status: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

/** Decides the answer to one request; default 204. */
export type Responder = (request: { eventId: string; attempt: number; body: string }) => Answer;

/** A backend's webhook endpoint on 127.0.0.1 that verifies and records every delivery. */
export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  respond: Responder;
  /** Goes away (connections refused) until {@link Receiver.start}, on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(secret: string): Promise<Receiver> {
  const received: Received[] = [];
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    const next = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const eventId = String(req.headers['tokenlane-event-id']);
        const header = String(req.headers['tokenlane-signature']);
        const attempt = received.filter((r) => r.eventId === eventId).length + 1;
        const answer = receiver.respond({ eventId, attempt, body });
        received.push({
          at: Date.now(),
          eventId,
          attempt,
          body,
          headers: req.headers,
          signatureOk:
            verifyEventSignature(secret, body, header) &&
            verifyWebhook(body, header, secret) &&
            verifyWebhook(body, req.headers, secret),
          status: answer.status,
        });
        res.writeHead(answer.status, answer.headers).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        resolve();
      });
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };

  const stop = async () => {
    const current = server;
    server = undefined;
    if (current === undefined) return;
    const closed = new Promise<void>((resolve) => {
      current.close(() => {
        resolve();
      });
    });
    current.closeAllConnections();
    await closed;
  };

  await listen();
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/tokenlane`,
    received,
    respond: () => ({ status: 204 }),
    stop,
    start: listen,
    close: stop,
  };
  return receiver;
}

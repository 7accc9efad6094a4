import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with the next requests. */
export type FaultMode =
  | { readonly kind: 'pass' }
  /**
   * Pass through, but only after holding the request this long (a slow provider). The request
   * reaches the upstream even when the client has given up meanwhile, as at a real provider.
   */
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number }
  /** Never answer and never pass on: the client's timeout ends the request (a stuck provider). */
  | { readonly kind: 'hang' }
  /** Hold each request until {@link FaultProxy.release}, then pass it through. */
  | { readonly kind: 'hold' };

/** One request the proxy received, and what became of it. */
export interface ProxiedRequest {
  /** Arrival time (ms). */
  readonly at: number;
  /** When the TCP connection carrying it was accepted (ms): tells which client process sent it. */
  readonly connectedAt: number;
  readonly method: string;
  readonly path: string;
  /** The raw body. Token requests carry refresh tokens: it stays in the test's memory. */
  readonly body: string;
  /** Whether the request was passed to the upstream (which may then have spent a token). */
  forwarded: boolean;
  /** The status the client was sent (the upstream's or the proxy's own); undefined: none. */
  status: number | undefined;
  /** False once the client went away before the whole answer reached it. */
  delivered: boolean | undefined;
}

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of one upstream origin: passes requests
 * through, delays or holds them, answers them itself with a status (503, 429 with Retry-After, …), holds
 * them unanswered, or refuses connections altogether. It records every request it received, so
 * tests can check retries, backoff and which answers were lost.
 */
export interface FaultProxy {
  readonly url: string;
  /** Arrival times (ms) of every request, in order. */
  readonly arrivals: number[];
  /** Every request, in arrival order. */
  readonly requests: ProxiedRequest[];
  setMode(mode: FaultMode): void;
  /** Passes on every request held so far (mode `hold`). */
  release(): void;
  /**
   * Closes the listening socket and drops every open connection: clients get ECONNREFUSED
   * (a provider that is down) until {@link FaultProxy.acceptConnections}.
   */
  refuseConnections(): Promise<void>;
  /** Listens again on the same port. */
  acceptConnections(): Promise<void>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const arrivals: number[] = [];
  const requests: ProxiedRequest[] = [];
  let mode: FaultMode = { kind: 'pass' };
  let held: (() => void)[] = [];
  const accepted = new WeakMap<Socket, number>();
  const server = createServer((req, res) => {
    const at = Date.now();
    arrivals.push(at);
    const current = mode;
    void readBody(req).then(async (body) => {
      const entry: ProxiedRequest = {
        at,
        connectedAt: accepted.get(req.socket) ?? at,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: body.toString('utf8'),
        forwarded: false,
        status: undefined,
        delivered: undefined,
      };
      requests.push(entry);
      res.on('close', () => {
        entry.delivered = res.writableFinished;
      });
      if (current.kind === 'hang') return;
      if (current.kind === 'hold') await new Promise<void>((resolve) => held.push(resolve));
      if (current.kind === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, current.ms));
      }
      if (current.kind === 'status') {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (current.retryAfterSeconds !== undefined)
          headers['retry-after'] = String(current.retryAfterSeconds);
        entry.status = current.status;
        res
          .writeHead(current.status, headers)
          .end(JSON.stringify({ error: 'temporarily_unavailable' }));
        return;
      }
      entry.forwarded = true;
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host },
        },
        (upstreamRes) => {
          entry.status = upstreamRes.statusCode ?? 502;
          res.writeHead(entry.status, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', () => {
        entry.status = 502;
        res.writeHead(502).end();
      });
      forward.end(body);
    });
  });
  server.on('connection', (socket: Socket) => {
    accepted.set(socket, Date.now());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    requests,
    setMode: (next) => {
      mode = next;
    },
    release: () => {
      const releasing = held;
      held = [];
      for (const resolve of releasing) resolve();
    },
    refuseConnections: stopListening,
    acceptConnections: () => listen(port),
    close: async () => {
      if (server.listening) await stopListening();
    },
  };
}

import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with the next requests. */
export type FaultMode =
  | { readonly kind: 'pass' }
  /** Pass through, but only after holding the request this long (a slow provider). */
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number };

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of one upstream origin: passes requests
 * through, or answers them itself with a status (503, 429 with Retry-After, …). It records when
 * each request arrived, so tests can check retries and backoff.
 */
export interface FaultProxy {
  readonly url: string;
  /** Arrival times (ms) of every request, in order. */
  readonly arrivals: number[];
  setMode(mode: FaultMode): void;
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
  let mode: FaultMode = { kind: 'pass' };
  const server = createServer((req, res) => {
    arrivals.push(Date.now());
    const current = mode;
    void readBody(req).then(async (body) => {
      if (current.kind === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, current.ms));
      }
      if (current.kind === 'status') {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (current.retryAfterSeconds !== undefined)
          headers['retry-after'] = String(current.retryAfterSeconds);
        res
          .writeHead(current.status, headers)
          .end(JSON.stringify({ error: 'temporarily_unavailable' }));
        return;
      }
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host },
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    setMode: (next) => {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

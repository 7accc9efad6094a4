import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the resource server saw, as it saw it. */
export interface SeenRequest {
  readonly method: string;
  /** Path and query exactly as they arrived. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly bodyBytes: number;
  readonly body: string;
  /** What `authorize` said about the credentials. */
  readonly authorized: boolean;
}

/**
 * A provider's API for the proxy tests, under `/api`: it records every request (attack tests
 * assert it saw none), checks the credentials with `authorize` (the oidc peer's introspection,
 * or the independent OAuth 1.0a verifier), answers 401 for tokens it was told to expire, and
 * serves the cases a proxy must pass on as they are:
 * - `/api/echo/...`: 200 with what it received;
 * - `/api/status/<code>`: that status (429 with `Retry-After: 7`);
 * - `/api/redirect`: 302 to a host outside the API;
 * - `/api/cookie`: `set-cookie` and hop-by-hop headers;
 * - `/api/bytes/<n>`: n bytes, streamed with back-pressure;
 * - `/api/slow/<ms>`: headers after ms;
 * - `/api/upload`: counts the body it receives (never keeps it);
 * - `/api/flaky`: 200, after the failures `failNext` asked for.
 */
export interface ResourcePeer {
  readonly url: string;
  /** The API base to give the provider: `${url}/api`. */
  readonly apiBaseUrl: string;
  /** Every request so far, in order. */
  requests(): readonly SeenRequest[];
  clear(): void;
  /** The next `count` requests to `/api/flaky` answer `status` (429 with `Retry-After: 1`). */
  failNext(count: number, status: number): void;
  /** This token (OAuth 2.0 access token or OAuth 1.0a token) now answers 401. */
  expire(token: string): void;
  close(): Promise<void>;
}

export type Authorize = (req: IncomingMessage, body: string) => Promise<boolean> | boolean;

/** The credential the request carries: a bearer token, or an OAuth 1.0a `oauth_token`. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer (.+)$/.exec(header);
  if (bearer !== null) return bearer[1];
  const oauth = /oauth_token="([^"]*)"/.exec(header);
  return oauth?.[1] === undefined ? undefined : decodeURIComponent(oauth[1]);
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

function streamBytes(res: ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      const size = Math.min(CHUNK.length, total - sent);
      sent += size;
      if (!res.write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The answer to an authorized request, by path. */
async function answer(
  res: ServerResponse,
  req: IncomingMessage,
  path: string,
  url: string,
  body: string,
  bytes: number,
): Promise<void> {
  if (path.startsWith('/api/echo') || path === '/api/flaky') {
    json(res, 200, { method: req.method, url, headers: req.headers, body });
  } else if (path === '/api/upload') {
    json(res, 200, { received: bytes });
  } else if (path === '/api/redirect') {
    res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' });
    res.end();
  } else if (path === '/api/cookie') {
    res.writeHead(200, {
      'set-cookie': ['session=provider-session; HttpOnly'],
      connection: 'x-hop',
      'x-hop': 'hop-by-hop',
      'keep-alive': 'timeout=5',
      'x-kept': 'yes',
      'content-type': 'text/plain',
    });
    res.end('ok');
  } else if (/^\/api\/status\/\d{3}$/.test(path)) {
    const code = Number(path.slice('/api/status/'.length));
    json(res, code, { status: code }, code === 429 ? { 'retry-after': '7' } : {});
  } else if (/^\/api\/bytes\/\d+$/.test(path)) {
    streamBytes(res, Number(path.slice('/api/bytes/'.length)));
  } else if (/^\/api\/slow\/\d+$/.test(path)) {
    await new Promise((resolve) => setTimeout(resolve, Number(path.slice('/api/slow/'.length))));
    if (!res.destroyed) json(res, 200, { slow: true });
  } else {
    json(res, 404, { error: 'not_found' });
  }
}

export async function startResourcePeer(options: { authorize: Authorize }): Promise<ResourcePeer> {
  const seen: SeenRequest[] = [];
  const expired = new Set<string>();
  const failing = { count: 0, status: 503 };
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0] ?? '';
    const upload = path === '/api/upload';
    const parts: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (!upload) parts.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      void Promise.resolve(options.authorize(req, body)).then(async (authorized) => {
        const token = presentedToken(req);
        const ok = authorized && (token === undefined || !expired.has(token));
        seen.push({
          method: req.method ?? '',
          url,
          headers: { ...req.headers },
          bodyBytes: bytes,
          body,
          authorized: ok,
        });
        if (!ok) {
          json(
            res,
            401,
            { error: 'invalid_token' },
            {
              'www-authenticate': 'Bearer error="invalid_token"',
            },
          );
          return;
        }
        if (path === '/api/flaky' && failing.count > 0) {
          failing.count -= 1;
          json(
            res,
            failing.status,
            { status: failing.status },
            failing.status === 429 ? { 'retry-after': '1' } : {},
          );
          return;
        }
        await answer(res, req, path, url, body, bytes);
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiBaseUrl: `${url}/api`,
    requests: () => [...seen],
    clear: () => {
      seen.length = 0;
    },
    failNext: (count, status) => {
      failing.count = count;
      failing.status = status;
    },
    expire: (token) => {
      expired.add(token);
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

import { createServer, type ServerResponse, type Server } from 'node:http';
import { checkReadiness, type Runtime } from '@tokenlane/runtime';

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The worker's own `/healthz`, `/readyz` and `/metrics` (it has no HTTP API otherwise). */
export async function startHealthServer(
  rt: Runtime,
  port: number,
  host = '0.0.0.0',
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET') {
      reply(res, 405, { error: { code: 'method_not_allowed', message: 'GET only' } });
    } else if (req.url === '/healthz') {
      reply(res, 200, { status: 'ok' });
    } else if (req.url === '/readyz') {
      checkReadiness(rt).then(
        (readiness) => {
          reply(res, readiness.ready ? 200 : 503, readiness);
        },
        () => {
          reply(res, 503, { ready: false });
        },
      );
    } else if (req.url === '/metrics') {
      rt.metrics.text().then(
        (text) => res.writeHead(200, { 'content-type': rt.metrics.contentType }).end(text),
        () => {
          reply(res, 500, { error: { code: 'internal', message: 'metrics unavailable' } });
        },
      );
    } else {
      reply(res, 404, { error: { code: 'not_found', message: 'no such route' } });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(port, host, resolve);
  });
  return server;
}

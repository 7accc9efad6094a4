import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorBody } from './errors.js';
import { DOCS_PATH } from './openapi.js';

/** Marks a request that came in on the internal listener (set before Fastify sees it). */
const VIA_INTERNAL = Symbol('tokenlane.viaInternal');
type MarkedRequest = IncomingMessage & { [VIA_INTERNAL]?: true };

/** Internal servers started per app, closed with it (hooks cannot be added once listening). */
const internalServers = new WeakMap<FastifyInstance, Server[]>();

/** Paths for operators, not for the internet: metrics, the console and dashboard, the docs. */
export function isOperationalPath(path: string): boolean {
  const bare = path.split('?', 1)[0] ?? '';
  const under = (prefix: string) => bare === prefix || bare.startsWith(`${prefix}/`);
  return under('/metrics') || under('/admin') || under(DOCS_PATH) || bare === '/openapi.json';
}

/** Health answers on both listeners: orchestrators probe whichever port they know. */
function isHealthPath(path: string): boolean {
  const bare = path.split('?', 1)[0] ?? '';
  return bare === '/healthz' || bare === '/readyz';
}

/**
 * With `TOKENLANE_INTERNAL_PORT` set, the app answers operational paths only on the internal
 * listener and everything else only on `PORT`; the other side gets the plain 404 of an
 * unknown path, so the public port does not even say the console exists.
 */
export function splitListeners(app: FastifyInstance): void {
  internalServers.set(app, []);
  app.addHook('onClose', async () => {
    await Promise.all(
      (internalServers.get(app) ?? []).map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
            server.closeAllConnections();
          }),
      ),
    );
  });
  app.addHook('onRequest', (request: FastifyRequest, reply, done) => {
    const internal = (request.raw as MarkedRequest)[VIA_INTERNAL] === true;
    if (isHealthPath(request.url) || isOperationalPath(request.url) === internal) {
      done();
      return;
    }
    // Sent here, not thrown: the dashboard's routes have bull-board's error handler, which
    // would answer a thrown 404 with its 500 page.
    void reply
      .code(404)
      .type('application/json; charset=utf-8')
      .serializer(JSON.stringify)
      .send(errorBody('not_found', 'Not found'));
  });
}

/**
 * Starts the internal listener: a second HTTP server handing its requests, marked, to the
 * same app (one router, one set of hooks). Closed with the app. The app must have been built
 * with `TOKENLANE_INTERNAL_PORT` set ({@link splitListeners}).
 */
export async function listenInternal(
  app: FastifyInstance,
  port: number,
  host: string,
): Promise<{ server: Server; port: number }> {
  const servers = internalServers.get(app);
  if (servers === undefined) throw new Error('the app was built without TOKENLANE_INTERNAL_PORT');
  const server = createServer((request, response) => {
    (request as MarkedRequest)[VIA_INTERNAL] = true;
    app.routing(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  servers.push(server);
  return { server, port: (server.address() as AddressInfo).port };
}

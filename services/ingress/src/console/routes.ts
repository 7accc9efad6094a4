import { CONNECTION_STATUSES, namedConnectionId } from '@tokenlane/core';
import {
  findConnection,
  lastErrorCodes,
  listConnectionEvents,
  listConnections,
  type Connection,
} from '@tokenlane/db';
import {
  requestRefresh,
  requestRevoke,
  startRelink,
  toConnectionView,
  toEventView,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../errors.js';
import { basicAuth } from '../routes/admin.js';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import { ACTIONS, confirmPage, connectionPage, relinkPage } from './connection-page.js';
import { connectionsPage } from './connections-page.js';
import { loadOverview } from './data.js';
import { CONSOLE_PATH } from './layout.js';
import { migrationConsoleRoutes } from './migration-routes.js';
import { overviewPage } from './overview-page.js';
import { consoleErrorHandler, sameOrigin, sendPage } from './respond.js';

/** Rows per page of the connection list, unless `limit` asks for another number. */
export const CONSOLE_PAGE_SIZE = 50;
/** Events on a connection's timeline. */
export const TIMELINE_LENGTH = 100;

const idParams = z.object({ id: z.string().max(64) });
const listQuery = z.object({
  provider: z.string().max(64).optional(),
  status: z.enum(CONNECTION_STATUSES).or(z.literal('')).optional(),
  userId: z.string().max(256).optional(),
  lastErrorCode: z.string().max(64).optional(),
  after: z.uuid().or(z.literal('')).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const blank = (value: string | undefined) => (value === '' ? undefined : value);

async function connectionOr404(runtime: Runtime, id: string): Promise<Connection> {
  const connection = await findConnection(runtime.db, namedConnectionId(id));
  if (connection === undefined) throw new HttpError(404, 'not_found', 'Connection not found');
  return connection;
}

/**
 * The operator console at `/admin` (docs/operations.md, "Console"): server-rendered pages
 * behind the same basic auth as the queue dashboard, off without `TOKENLANE_ADMIN_PASSWORD`.
 * Pages show connection views, migration views and events only, never a token or a
 * ciphertext; a failed request answers with a page in plain words (`consoleErrorHandler`).
 * The migration panel is `migration-routes.ts`.
 */
export const consoleRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  const password = runtime.config.adminPassword;
  if (password === undefined) {
    done();
    return;
  }
  app.addHook('onRequest', basicAuth(password, runtime));
  app.setErrorHandler(consoleErrorHandler);
  // Forms post urlencoded; the API stays JSON-only (the parser lives in this scope alone).
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  const hidden = { schema: { hide: true } } as const;

  app.get(`${CONSOLE_PATH}/assets/console.css`, hidden, (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=300').send(CONSOLE_CSS),
  );
  app.get(`${CONSOLE_PATH}/assets/console.js`, hidden, (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'max-age=300')
      .send(CONSOLE_JS),
  );

  app.get(CONSOLE_PATH, hidden, async (_request, reply) =>
    sendPage(reply, overviewPage(await loadOverview(runtime))),
  );

  app.get(
    `${CONSOLE_PATH}/connections`,
    { schema: { hide: true, querystring: listQuery } },
    async (request, reply) => {
      const filters = {
        provider: blank(request.query.provider),
        status: blank(request.query.status) as (typeof CONNECTION_STATUSES)[number] | undefined,
        userId: blank(request.query.userId),
        lastErrorCode: blank(request.query.lastErrorCode),
      };
      const after = blank(request.query.after);
      const limit = request.query.limit ?? CONSOLE_PAGE_SIZE;
      const [rows, errorCodes] = await Promise.all([
        listConnections(runtime.db, {
          ...filters,
          after: after === undefined ? undefined : namedConnectionId(after),
          limit: limit + 1,
        }),
        lastErrorCodes(runtime.db),
      ]);
      const shown = rows.slice(0, limit).map(toConnectionView);
      return sendPage(
        reply,
        connectionsPage({
          filters,
          rows: shown,
          next: rows.length > limit ? shown[shown.length - 1]?.id : undefined,
          limit: limit === CONSOLE_PAGE_SIZE ? undefined : limit,
          paged: after !== undefined,
          providers: runtime.providers.list().map((provider) => provider.id),
          statuses: CONNECTION_STATUSES,
          errorCodes,
        }),
      );
    },
  );

  app.get(
    `${CONSOLE_PATH}/connections/:id`,
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: z.object({ done: z.string().max(16).optional() }),
      },
    },
    async (request, reply) => {
      const connection = await connectionOr404(runtime, request.params.id);
      const events = await listConnectionEvents(runtime.db, connection.id, TIMELINE_LENGTH);
      return sendPage(
        reply,
        connectionPage(toConnectionView(connection), events.map(toEventView), request.query.done),
      );
    },
  );

  app.get(
    `${CONSOLE_PATH}/connections/:id/confirm/:action`,
    {
      schema: {
        hide: true,
        params: idParams.extend({ action: z.enum(Object.keys(ACTIONS) as [keyof typeof ACTIONS]) }),
      },
    },
    async (request, reply) => {
      const connection = await connectionOr404(runtime, request.params.id);
      return sendPage(reply, confirmPage(toConnectionView(connection), request.params.action));
    },
  );

  app.post(
    `${CONSOLE_PATH}/connections/:id/refresh`,
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      if (!sameOrigin(request, reply)) return reply;
      const connection = await connectionOr404(runtime, request.params.id);
      await requestRefresh(runtime, connection.id, 'operator', connection.tokenVersion);
      runtime.logger.info({ connectionId: connection.id, action: 'refresh' }, 'console action');
      return reply.redirect(`${CONSOLE_PATH}/connections/${connection.id}?done=refresh`, 303);
    },
  );

  app.post(
    `${CONSOLE_PATH}/connections/:id/revoke`,
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      if (!sameOrigin(request, reply)) return reply;
      const id = await requestRevoke(runtime, namedConnectionId(request.params.id), 'operator');
      runtime.logger.info({ connectionId: id, action: 'revoke' }, 'console action');
      return reply.redirect(`${CONSOLE_PATH}/connections/${id}?done=revoke`, 303);
    },
  );

  app.post(
    `${CONSOLE_PATH}/connections/:id/relink`,
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      if (!sameOrigin(request, reply)) return reply;
      const connection = await connectionOr404(runtime, request.params.id);
      const link = await startRelink(runtime, connection, { trigger: 'operator' });
      runtime.logger.info({ connectionId: connection.id, action: 'relink' }, 'console action');
      return sendPage(
        reply,
        relinkPage(toConnectionView(connection), link.linkWebUrl, link.expiresAt.toISOString()),
      );
    },
  );
  app.register(migrationConsoleRoutes, { runtime });
  done();
};

import { CONNECTION_STATUSES, namedConnectionId } from '@tokenlane/core';
import { findConnection, listConnections } from '@tokenlane/db';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses, HttpError } from '../errors.js';
import { connectionViewSchema, pageSchema, toConnectionView } from '../views.js';
import { limitSchema, pageOf } from './paging.js';

const listQuery = z.object({
  userId: z.string().min(1).max(256).optional(),
  provider: z.string().min(1).max(64).optional(),
  status: z.enum(CONNECTION_STATUSES).optional(),
  after: z.uuid().optional().describe('`nextCursor` of the previous page'),
  limit: limitSchema,
});

/**
 * `GET /v1/connections/:id` and `GET /v1/connections`. An id that is not a UUID answers
 * 404 like an unknown one: no id a caller could hold has another shape, and a 400 would
 * only tell a prober which strings are well-formed.
 */
export const connectionRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.get(
    '/v1/connections/:id',
    {
      schema: {
        summary: 'Get a connection (never its tokens)',
        tags: ['connections'],
        params: z.object({ id: z.string() }),
        response: { 200: connectionViewSchema, ...authedErrorResponses(404) },
      },
    },
    async (request) => {
      const connection = await findConnection(runtime.db, namedConnectionId(request.params.id));
      if (connection === undefined) throw new HttpError(404, 'not_found', 'Connection not found');
      return toConnectionView(connection);
    },
  );

  app.get(
    '/v1/connections',
    {
      schema: {
        summary: 'List connections, oldest first, filtered by user, provider or status',
        tags: ['connections'],
        querystring: listQuery,
        response: { 200: pageSchema(connectionViewSchema), ...authedErrorResponses() },
      },
    },
    async (request) => {
      const { limit, after, ...filters } = request.query;
      const rows = await listConnections(runtime.db, {
        ...filters,
        after: after === undefined ? undefined : namedConnectionId(after),
        limit: limit + 1,
      });
      return pageOf(rows, limit, toConnectionView, (view) => view.id);
    },
  );
  done();
};

import { listEvents } from '@tokenlane/db';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses } from '../errors.js';
import { eventViewSchema, pageSchema, toEventView } from '../views.js';
import { limitSchema, pageOf } from './paging.js';

const eventsQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/, 'must be an event cursor')
    .transform(Number)
    .optional()
    .describe('`cursor` of the last event seen (or `nextCursor`); omit to start at the beginning'),
  limit: limitSchema,
});

/** `GET /v1/events`: lifecycle events, oldest first, cursor paging (docs/api.md). */
export const eventRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.get(
    '/v1/events',
    {
      schema: {
        summary: 'List lifecycle events, oldest first',
        tags: ['events'],
        querystring: eventsQuery,
        response: { 200: pageSchema(eventViewSchema), ...authedErrorResponses() },
      },
    },
    async (request) => {
      const { after, limit } = request.query;
      const rows = await listEvents(runtime.db, { after, limit: limit + 1 });
      return pageOf(rows, limit, toEventView, (view) => view.cursor);
    },
  );
  done();
};

import { namedConnectionId } from '@tokenlane/core';
import { readConnection, startRelink } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses, HttpError } from '../errors.js';
import { linkResponse } from './links.js';

const relinkBody = z
  .strictObject({
    provider: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe("The connection's own provider (default) or its declared successor"),
    returnUrl: z.url().max(2048).optional().describe('Must match TOKENLANE_ALLOWED_RETURN_URLS'),
  })
  .meta({ id: 'Relink' })
  .optional();

/**
 * `POST /v1/connections/:id/relink` (docs/api.md): a link that re-authorizes the connection in
 * place, asked for while its user is present. A live link for the same connection, provider
 * and returnUrl is answered again, so repeated calls leave one live link.
 */
export const relinkRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.post(
    '/v1/connections/:id/relink',
    {
      schema: {
        summary: 'Get a link that re-authorizes this connection (same connection id)',
        tags: ['links'],
        params: z.object({ id: z.string().max(64) }),
        body: relinkBody,
        response: { 201: linkResponse, ...authedErrorResponses(404, 409, 422) },
      },
    },
    async (request, reply) => {
      const connection = await readConnection(runtime, namedConnectionId(request.params.id));
      if (connection === undefined) throw new HttpError(404, 'not_found', 'Connection not found');
      const link = await startRelink(runtime, connection, request.body ?? {});
      return reply.code(201).send({ ...link, expiresAt: link.expiresAt.toISOString() });
    },
  );
  done();
};

import { namedConnectionId } from '@tokenlane/core';
import { requestRevoke } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses } from '../errors.js';

const revoking = z
  .object({ connectionId: z.string(), status: z.literal('revoking') })
  .meta({ id: 'Revoking' });

/**
 * `DELETE /v1/connections/:id` (docs/api.md): enqueues the connection's single `revoke` job,
 * which revokes at the provider (with retries) and then wipes the tokens either way. 202 at
 * once; deleting an already revoked connection is accepted too and changes nothing. An id
 * that is not a UUID is a 404 like an unknown one (see connections.ts).
 */
export const connectionActionRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.delete(
    '/v1/connections/:id',
    {
      schema: {
        summary: 'Revoke a connection at the provider, then wipe its tokens',
        tags: ['connections'],
        params: z.object({ id: z.string().max(64) }),
        response: { 202: revoking, ...authedErrorResponses(404) },
      },
    },
    async (request, reply) => {
      const connectionId = await requestRevoke(
        runtime,
        namedConnectionId(request.params.id),
        'api',
      );
      return reply.code(202).send({ connectionId, status: 'revoking' as const });
    },
  );
  done();
};

import { isRefreshable, namedConnectionId } from '@tokenlane/core';
import {
  getUsableToken,
  readConnection,
  recordTokenRead,
  reportUnauthorized,
  requestRefresh,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses, HttpError } from '../errors.js';

/** How long the token API waits on a refresh before answering 503 with Retry-After. */
const TOKEN_WAIT_MS = 10_000;

const idParams = z.object({ id: z.string().max(64) });

const tokenResponse = z
  .union([
    z.object({
      accessToken: z.string(),
      tokenType: z.string(),
      expiresAt: z.string().meta({ format: 'date-time' }).nullable(),
    }),
    z.object({ token: z.string(), tokenSecret: z.string().describe('OAuth 1.0a token secret') }),
  ])
  .meta({ id: 'Token' });

const accepted = z.object({ connectionId: z.string(), status: z.string() });

/** 409 of the token API: `reauth_required` carries a fresh link to re-authorize in place. */
const conflict = z
  .object({
    error: z.object({
      code: z.enum(['reauth_required', 'conflict']),
      message: z.string(),
      linkWebUrl: z.string().optional(),
      linkExpiresAt: z.string().meta({ format: 'date-time' }).optional(),
    }),
  })
  .meta({ id: 'TokenConflict' });

async function requireConnection(rt: Runtime, id: string) {
  const connection = await readConnection(rt, namedConnectionId(id));
  if (connection === undefined) throw new HttpError(404, 'not_found', 'Connection not found');
  return connection;
}

/**
 * The token API (docs/api.md, "Tokens"): `GET /v1/connections/:id/token` returns a usable token, refreshing
 * through the connection's single refresh job when it expires within `minValidity` seconds;
 * `POST …/refresh` and `POST …/unauthorized` feed the same jobs without waiting.
 */
export const tokenRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.get(
    '/v1/connections/:id/token',
    {
      schema: {
        summary: 'Get a usable token, refreshed first when it expires within minValidity seconds',
        tags: ['tokens'],
        params: idParams,
        querystring: z.object({
          minValidity: z.coerce.number().int().min(0).max(86_400).default(30),
        }),
        response: { 200: tokenResponse, ...authedErrorResponses(404), 409: conflict },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const connection = await requireConnection(runtime, request.params.id);
      const token = await getUsableToken(runtime, connection, {
        minValiditySeconds: request.query.minValidity,
        waitMs: TOKEN_WAIT_MS,
        mayRelink: request.apiKey?.scopes.has('connections:write') === true,
      });
      await recordTokenRead(runtime, connection, request.apiKey?.name ?? 'none');
      return token.kind === 'oauth1'
        ? { token: token.token.reveal(), tokenSecret: token.tokenSecret.reveal() }
        : {
            accessToken: token.accessToken.reveal(),
            tokenType: token.tokenType,
            expiresAt: token.expiresAt?.toISOString() ?? null,
          };
    },
  );

  app.post(
    '/v1/connections/:id/refresh',
    {
      schema: {
        summary: 'Refresh now (joins the refresh already queued, if any)',
        tags: ['tokens'],
        params: idParams,
        response: { 202: accepted, ...authedErrorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const connection = await requireConnection(runtime, request.params.id);
      if (!isRefreshable(connection.status)) {
        throw new HttpError(
          409,
          'conflict',
          `A ${connection.status} connection cannot be refreshed`,
        );
      }
      await requestRefresh(runtime, connection.id, 'api', connection.tokenVersion);
      return reply.code(202).send({ connectionId: connection.id, status: 'refreshing' });
    },
  );

  app.post(
    '/v1/connections/:id/unauthorized',
    {
      schema: {
        summary: 'Report a 401 the provider answered to this connection’s token',
        description:
          'Send the token the provider refused as `accessToken` (OAuth 1.0a: the `token`). Only a report naming the current token counts; any other is `stale_report` and does nothing.',
        tags: ['tokens'],
        params: idParams,
        body: z.strictObject({ accessToken: z.string().min(1).max(8192) }),
        response: { 202: accepted, ...authedErrorResponses(404) },
      },
    },
    async (request, reply) => {
      const connection = await requireConnection(runtime, request.params.id);
      const { status } = await reportUnauthorized(runtime, connection.id, request.body.accessToken);
      return reply.code(202).send({ connectionId: connection.id, status });
    },
  );
  done();
};

import { isUuid, namedConnectionId } from '@tokenlane/core';
import {
  providerBudgets,
  readBudget,
  readConnection,
  type WindowBudget,
} from '@tokenlane/lifecycle';
import { isRetired, type RegisteredProvider } from '@tokenlane/providers';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses, HttpError } from '../errors.js';

const rateWindowSchema = z
  .object({
    window: z
      .string()
      .describe('The window by its length (`60s`, `86400s`), as the gauge names it'),
    requests: z.int(),
    perSeconds: z.int(),
    per: z.enum(['app', 'connection']),
    remaining: z
      .int()
      .nullable()
      .describe(
        'Calls left in the current window: app-wide windows, and per-connection ones for ?connectionId= (else null)',
      ),
  })
  .meta({ id: 'RateWindow' });

export const providerViewSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    kind: z.enum(['oauth2', 'oauth1']),
    method: z.enum(['redirect', 'pin']).describe('How the user completes a link'),
    configured: z.boolean().describe('Credentials are present: links can be created'),
    custom: z.boolean().describe('Declared in the providers file rather than built in'),
    deprecated: z
      .object({
        note: z.string(),
        sunset: z.string().optional().describe('Same as sunsetAt (kept for older clients)'),
        replacedBy: z.string().optional().describe('Same as successor (kept for older clients)'),
      })
      .nullable(),
    sunsetAt: z
      .string()
      .nullable()
      .describe(
        'When the provider stops answering (ISO date); its connections then need a re-link',
      ),
    successor: z.string().nullable().describe('Where its users move (link this provider instead)'),
    retired: z
      .boolean()
      .describe('The sunset has passed: new links are refused (410 provider_retired)'),
    tokenExchange: z
      .boolean()
      .describe(
        'Its users can be moved to the successor without them (migration mode token_exchange)',
      ),
    rateLimits: z
      .array(rateWindowSchema)
      .describe(
        'Its one rate budget, shared by refreshes, identity look-ups and proxied calls; proxied calls leave TOKENLANE_REFRESH_RESERVE of each window',
      ),
  })
  .meta({ id: 'Provider' });

export type ProviderView = z.output<typeof providerViewSchema>;

/** What a backend may know about a provider: never a client id, secret or webhook secret. */
export function toProviderView(
  provider: RegisteredProvider,
  windows: readonly WindowBudget[] = [],
): ProviderView {
  const { deprecated, sunsetAt, successor } = provider;
  return {
    id: provider.id,
    displayName: provider.displayName,
    kind: provider.kind,
    method: provider.pin === true ? 'pin' : 'redirect',
    configured: provider.configured,
    custom: provider.configured && provider.custom,
    deprecated:
      deprecated === undefined
        ? null
        : {
            note: deprecated.note,
            ...(sunsetAt === undefined ? {} : { sunset: sunsetAt }),
            ...(successor === undefined ? {} : { replacedBy: successor }),
          },
    sunsetAt: sunsetAt ?? null,
    successor: successor ?? null,
    retired: isRetired(provider),
    tokenExchange: provider.kind === 'oauth1' && provider.tokenExchangeUrl !== undefined,
    rateLimits: [...windows],
  };
}

/** The connection's provider's windows, its per-connection ones read for it too. */
async function connectionWindows(runtime: Runtime, id: string): Promise<[string, WindowBudget[]]> {
  if (!isUuid(id))
    throw new HttpError(400, 'invalid_request', 'connectionId must be a connection id');
  const connection = await readConnection(runtime, namedConnectionId(id));
  if (connection === undefined) throw new HttpError(404, 'not_found', 'Connection not found');
  const provider = runtime.providers.get(connection.provider);
  // A connection of a provider no longer configured: nothing to read.
  if (provider === undefined) return [connection.provider, []];
  const { redis, config } = runtime;
  return [provider.id, await readBudget(redis, config.queuePrefix, provider, connection.id)];
}

/** `GET /v1/providers`: every provider this deployment knows, configured or not. */
export const providerRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.get(
    '/v1/providers',
    {
      schema: {
        summary:
          'List providers: id, kind, link method, configured, sunset, successor and rate budget',
        tags: ['providers'],
        querystring: z.object({
          connectionId: z
            .string()
            .max(64)
            .optional()
            .describe("Also what is left of this connection's per-connection windows"),
        }),
        response: {
          200: z.object({ data: z.array(providerViewSchema) }),
          ...authedErrorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const budgets = new Map(
        (await providerBudgets(runtime)).map(({ provider, windows }) => [provider, windows]),
      );
      const { connectionId } = request.query;
      if (connectionId !== undefined) {
        const [provider, windows] = await connectionWindows(runtime, connectionId);
        budgets.set(provider, windows);
      }
      return {
        data: runtime.providers
          .list()
          .map((provider) => toProviderView(provider, budgets.get(provider.id))),
      };
    },
  );
  done();
};

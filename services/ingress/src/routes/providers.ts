import type { RegisteredProvider } from '@tokenlane/providers';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses } from '../errors.js';

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
        sunset: z.string().optional(),
        replacedBy: z.string().optional(),
      })
      .nullable(),
  })
  .meta({ id: 'Provider' });

export type ProviderView = z.output<typeof providerViewSchema>;

/** What a backend may know about a provider: never a client id, secret or webhook secret. */
export function toProviderView(provider: RegisteredProvider): ProviderView {
  const { deprecated } = provider;
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
            ...(deprecated.sunset === undefined ? {} : { sunset: deprecated.sunset }),
            ...(deprecated.replacedBy === undefined ? {} : { replacedBy: deprecated.replacedBy }),
          },
  };
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
        summary: 'List providers: id, kind, link method, configured, deprecation',
        tags: ['providers'],
        response: {
          200: z.object({ data: z.array(providerViewSchema) }),
          ...authedErrorResponses(),
        },
      },
    },
    () => ({ data: runtime.providers.list().map(toProviderView) }),
  );
  done();
};

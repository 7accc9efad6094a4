import { LifecycleError, openLink } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../errors.js';
import { setLinkCookie } from '../link-cookie.js';
import { sendPage, wantsHtml } from './pages.js';

/**
 * `GET /connect/:id`: a link's `linkWebUrl`. Opens the link once, binds it to this browser with
 * a cookie holding a fresh nonce, and redirects to the provider (docs/api.md). A second
 * opening, or an expired or finished link, gets a page saying so and changes nothing.
 */
export const connectRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  app.get(
    '/connect/:id',
    {
      // The id is a one-time capability: logs show the route, never the path.
      logSerializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          route: request.routeOptions.url,
          path: '/connect/[redacted]',
        }),
      },
      schema: {
        summary:
          "A link's linkWebUrl: binds the link to this browser and redirects to the provider",
        tags: ['links'],
        params: z.object({ id: z.string().max(128) }),
        response: errorResponses(409),
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      try {
        const opened = await openLink(runtime, request.params.id);
        setLinkCookie(
          reply,
          runtime.config.publicUrl,
          opened.linkId,
          opened.nonce,
          opened.expiresAt,
        );
        return await reply.redirect(opened.authorizeUrl, 302);
      } catch (error) {
        if (!(error instanceof LifecycleError) || !wantsHtml(request)) throw error;
        return sendPage(reply, 409, error.message);
      }
    },
  );
  done();
};

import { explainConnectRefusal, LifecycleError, openLink, previewLink } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, HttpError } from '../errors.js';
import { setLinkCookie } from '../link-cookie.js';
import { connectPage } from '../pages/connect-page.js';
import { outcomePage } from '../pages/outcome-page.js';
import { brandOf, pageContext, sendEndUserPage } from '../pages/page.js';
import { isCrossSitePost } from '../same-origin.js';
import { wantsHtml } from './pages.js';

const params = z.object({ id: z.string().max(128) });

/** The id is a one-time capability: logs show the route, never the path. */
const logSerializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    route: request.routeOptions.url,
    path: '/connect/[redacted]',
  }),
};

/**
 * `/connect/:id`, a link's `linkWebUrl` (docs/api.md). `GET` shows a page naming the app and
 * the provider, with a button that continues by `POST`: a mail or chat scanner fetching the
 * URL first changes nothing. `POST` opens the link once, binds it to this browser with a
 * cookie holding a fresh nonce, and redirects to the provider. A cross-site post is refused,
 * so another site cannot open a link in the user's browser. A link already opened, expired,
 * finished or unknown gets a page saying which, in the browser's language, and changes nothing.
 */
export const connectRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  // The button posts an empty form; its body means nothing and is never read.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer', bodyLimit: 1024 },
    (_request, _body, parsed) => {
      parsed(null, {});
    },
  );
  const brand = brandOf(runtime.config);
  const providerName = (id: string) => runtime.providers.get(id)?.displayName ?? id;

  const unusable = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    error: unknown,
  ) => {
    if (!(error instanceof LifecycleError) || !wantsHtml(request)) throw error;
    const { refusal, provider } = await explainConnectRefusal(runtime, id);
    const names = {
      app: brand.appName,
      provider: provider === undefined ? '' : providerName(provider),
    };
    const context = pageContext(request, brand);
    return sendEndUserPage(reply, 409, context, outcomePage(context, names, refusal));
  };

  app.get(
    '/connect/:id',
    {
      logSerializers,
      schema: {
        summary: "A link's linkWebUrl: a page naming the app and provider; continues by POST",
        tags: ['links'],
        params,
        response: errorResponses(409),
      },
    },
    async (request, reply) => {
      let provider: string;
      try {
        provider = (await previewLink(runtime, request.params.id)).provider;
      } catch (error) {
        return unusable(request, reply, request.params.id, error);
      }
      const context = pageContext(request, brand);
      const names = { app: brand.appName, provider: providerName(provider) };
      return sendEndUserPage(reply, 200, context, connectPage(context, names));
    },
  );

  app.post(
    '/connect/:id',
    {
      logSerializers,
      schema: {
        summary: 'Continue a link: binds it to this browser and redirects to the provider',
        tags: ['links'],
        params,
        response: errorResponses(403, 409),
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (isCrossSitePost(request)) {
        throw new HttpError(403, 'unauthorized', 'A link continues only from its own page');
      }
      try {
        const opened = await openLink(runtime, request.params.id);
        setLinkCookie(
          reply,
          runtime.config.publicUrl,
          opened.linkId,
          opened.nonce,
          opened.expiresAt,
        );
        // 303: the browser follows with a GET, as the provider's authorization endpoint wants.
        return await reply.redirect(opened.authorizeUrl, 303);
      } catch (error) {
        return unusable(request, reply, request.params.id, error);
      }
    },
  );
  done();
};

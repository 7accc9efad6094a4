import { namedConnectionId, namedLinkSessionId } from '@tokenlane/core';
import {
  acceptCallback,
  explainCallbackRefusal,
  LifecycleError,
  startLink,
  submitPin,
  type CallbackResult,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses, errorResponses } from '../errors.js';
import { clearLinkCookie, linkCookieName, requestCookies } from '../link-cookie.js';
import { outcomeOfFailure, outcomePage } from '../pages/outcome-page.js';
import { brandOf, pageContext, sendEndUserPage } from '../pages/page.js';
import type { Outcome } from '../pages/words/index.js';
import { wantsHtml } from './pages.js';

const linkBody = z
  .strictObject({
    userId: z.string().min(1).max(256).describe('Your id for the end user'),
    provider: z.string().min(1).max(64),
    returnUrl: z.url().max(2048).optional().describe('Must match TOKENLANE_ALLOWED_RETURN_URLS'),
    scopes: z.array(z.string().min(1).max(256)).max(50).optional(),
    connectionId: z
      .uuid()
      .optional()
      .describe('Re-link this connection (prefer POST /v1/connections/:id/relink)'),
  })
  // Named for the document; request schemas are listed with an `Input` suffix: CreateLinkInput.
  .meta({ id: 'CreateLink' });

/** What a new (or handed-out-again) link answers. */
export const linkResponse = z
  .object({
    linkId: z.string(),
    linkWebUrl: z.string().describe('Send the user here'),
    method: z.enum(['redirect', 'pin']),
    expiresAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'Link' });

const callbackParam = z.string().max(4096).optional();
const callbackQuery = z.looseObject({
  state: callbackParam,
  code: callbackParam,
  error: callbackParam,
  iss: callbackParam,
  oauth_token: callbackParam,
  oauth_verifier: callbackParam,
});

/**
 * The link flow (docs/architecture.md, "Link"): `POST /v1/links` starts one, `GET /oauth/callback` receives every
 * provider's redirect, `POST /v1/links/:linkId/pin` completes an out-of-band one.
 */
export const linkRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  const brand = brandOf(runtime.config);
  /** An end-user page about `provider` (an id; shown by its display name). */
  const sendOutcome = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    outcome: Outcome,
    provider: string | undefined,
  ) => {
    const context = pageContext(request, brand);
    const shown =
      provider === undefined ? '' : (runtime.providers.get(provider)?.displayName ?? provider);
    const names = { app: brand.appName, provider: shown };
    return sendEndUserPage(reply, status, context, outcomePage(context, names, outcome));
  };

  app.post(
    '/v1/links',
    {
      schema: {
        summary: 'Start linking a user to a provider',
        tags: ['links'],
        body: linkBody,
        response: { 201: linkResponse, ...authedErrorResponses(404, 409, 410, 422) },
      },
    },
    async (request, reply) => {
      const { connectionId, ...input } = request.body;
      const link = await startLink(runtime, {
        ...input,
        connectionId: connectionId === undefined ? undefined : namedConnectionId(connectionId),
      });
      return reply.code(201).send({ ...link, expiresAt: link.expiresAt.toISOString() });
    },
  );

  app.get(
    '/oauth/callback',
    {
      schema: {
        summary: "The providers' redirect URI: completes a link and sends the user back",
        tags: ['links'],
        querystring: callbackQuery,
        response: errorResponses(401),
      },
    },
    async (request, reply) => {
      // The URL carries a code: it must not be cached or leak through Referer.
      void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const { publicUrl } = runtime.config;
      const cookies = requestCookies(request);
      let result: CallbackResult;
      try {
        result = await acceptCallback(runtime, request.query, (linkId) =>
          cookies.get(linkCookieName(publicUrl, linkId)),
        );
      } catch (error) {
        if (!(error instanceof LifecycleError) || !wantsHtml(request)) throw error;
        const { refusal, provider } = await explainCallbackRefusal(runtime, request.query, (id) =>
          cookies.get(linkCookieName(publicUrl, id)),
        );
        return sendOutcome(request, reply, 401, refusal, provider);
      }
      clearLinkCookie(reply, publicUrl, result.session.id);
      const params = outcomeParams(result);
      if (result.session.returnUrl === null) {
        return sendOutcome(request, reply, 200, pageOutcome(result), result.session.provider);
      }
      const target = new URL(result.session.returnUrl);
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      return reply.redirect(target.href, 302);
    },
  );

  app.post(
    '/v1/links/:linkId/pin',
    {
      schema: {
        summary: 'Complete an out-of-band (PIN) link with the PIN the provider showed the user',
        tags: ['links'],
        params: z.object({ linkId: z.string().max(64) }),
        body: z.strictObject({ pin: z.string().min(1).max(256) }),
        response: {
          200: z.object({ connectionId: z.string(), status: z.literal('active') }),
          ...authedErrorResponses(404, 409, 410),
        },
      },
    },
    async (request) =>
      submitPin(runtime, namedLinkSessionId(request.params.linkId), request.body.pin),
  );
  done();
};

/** The outcome as the returnUrl's query tells it to the app (docs/api.md). */
function outcomeParams({ session, outcome }: CallbackResult): Record<string, string> {
  if (outcome.status === 'completed') {
    return { status: 'success', connectionId: outcome.connectionId };
  }
  if (outcome.status === 'pending') return { status: 'pending', linkId: session.id };
  return { status: 'error', code: outcome.status === 'failed' ? outcome.code : 'invalid_pin' };
}

/** The outcome as the user's page tells it, when there is no returnUrl to go back to. */
function pageOutcome({ outcome }: CallbackResult): Outcome {
  if (outcome.status === 'completed') return 'connected';
  if (outcome.status === 'pending') return 'pending';
  return outcomeOfFailure(outcome.status === 'failed' ? outcome.code : 'invalid_pin');
}

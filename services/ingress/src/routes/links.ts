import type { FastifyPluginAsync } from 'fastify';
import type { Runtime } from '@tokenlane/runtime';

/** Link routes: POST /v1/links, GET /oauth/callback, POST /v1/links/:linkId/pin (in progress). */
export const linkRoutes: FastifyPluginAsync<{ runtime: Runtime }> = async () => {};

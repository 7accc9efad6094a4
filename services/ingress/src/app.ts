import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { parseApiKeys, type Logger } from '@tokenlane/config';
import type { Runtime } from '@tokenlane/runtime';
import { apiKeyHook, isApiRequest } from './auth.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { trustProxyOption } from './trust-proxy.js';
import { HttpError } from './errors.js';
import { splitListeners } from './internal-listener.js';
import { genReqId, REQUEST_ID_HEADER, requestLogger } from './logging.js';
import { registerDocRoutes, registerOpenApi } from './openapi.js';
import { consoleRoutes } from './console/routes.js';
import { adminRoutes } from './routes/admin.js';
import { connectionActionRoutes } from './routes/connection-actions.js';
import { connectRoutes } from './routes/connect.js';
import { connectionRoutes } from './routes/connections.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { linkRoutes } from './routes/links.js';
import { metricsRoutes } from './routes/metrics.js';
import { migrationRoutes } from './routes/migrations.js';
import { tokenRoutes } from './routes/tokens.js';
import { providerRoutes } from './routes/providers.js';
import { PROXY_ROUTE, proxyRoutes } from './routes/proxy.js';
import { relinkRoutes } from './routes/relink.js';
import { webhookRoutes } from './routes/webhooks.js';

/** Request bodies are small JSON documents; anything bigger is refused with 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface BuildAppOptions {
  readonly runtime: Runtime;
  /** Defaults to the runtime's logger; tests pass one writing to memory. */
  readonly logger?: Logger;
}

/**
 * The ingress HTTP app, not listening: schemas on every route (zod), one JSON error shape,
 * API-key auth on `/v1/*`, health, OpenAPI. `main.ts` listens; tests use `app.inject`.
 */
export function buildApp(options: BuildAppOptions): FastifyInstance {
  const { runtime } = options;
  // Typed as fastify's logger interface: fastify's types reject pino's own `Logger` there.
  const loggerInstance: FastifyBaseLogger = requestLogger(options.logger ?? runtime.logger);
  const app = Fastify({
    loggerInstance,
    genReqId,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustProxyOption(runtime.config.trustProxy),
    // Answered by our own hook below, in our error shape.
    return503OnClosing: false,
    // The longest path segment: a webhook intake secret may be 512 characters.
    routerOptions: { maxParamLength: 600 },
    // Logged by our own hooks below: one line per request, after the API key is known, so
    // the line names it.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: errorHandler,
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  // Only JSON bodies: anything else is a 415 before a route sees it.
  app.removeContentTypeParser('text/plain');

  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    if (closing) {
      throw new HttpError(503, 'service_unavailable', 'The service is shutting down', {
        headers: { connection: 'close' },
      });
    }
    done();
  });
  if (runtime.config.internalPort !== undefined) splitListeners(app);
  app.addHook('onRequest', apiKeyHook(parseApiKeys(runtime.apiKeys)));
  app.addHook('onResponse', (request, reply, done) => {
    // A proxied call writes its own one line (`proxied call`, routes/proxy.ts): not two.
    if (request.routeOptions.url !== PROXY_ROUTE) {
      request.log.info(
        { req: request, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime },
        'request completed',
      );
    }
    if (isApiRequest(request)) {
      runtime.metrics.apiRequests.inc({
        key: request.apiKey?.name ?? 'none',
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      });
    }
    done();
  });

  // Swagger first: it collects the routes registered after it.
  registerOpenApi(app);
  app.register((scope, _options, done) => {
    registerDocRoutes(scope);
    done();
  });
  app.register(healthRoutes, { runtime });
  app.register(metricsRoutes, { runtime });
  app.register(adminRoutes, { runtime });
  app.register(consoleRoutes, { runtime });
  app.register(providerRoutes, { runtime });
  app.register(connectionRoutes, { runtime });
  app.register(connectionActionRoutes, { runtime });
  app.register(webhookRoutes, { runtime });
  app.register(eventRoutes, { runtime });
  app.register(linkRoutes, { runtime });
  app.register(connectRoutes, { runtime });
  app.register(relinkRoutes, { runtime });
  app.register(tokenRoutes, { runtime });
  app.register(proxyRoutes, { runtime });
  app.register(migrationRoutes, { runtime });
  return app;
}

import { createLogger, loadConfig } from '@tokenlane/config';
import type { Runtime } from '@tokenlane/runtime';
import { buildApp } from './app.js';

/**
 * The OpenAPI document `GET /openapi.json` serves, built without a database, Redis or
 * providers file: the SDK generator (packages/client/scripts) and its drift test need the
 * contract, not a running service. The routes are registered exactly as in production
 * (same plugins, same schemas); no request is ever handled.
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const app = buildApp({ runtime: documentOnlyRuntime() });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

/**
 * A runtime whose configuration is the defaults (an empty environment, so the document never
 * depends on the machine that builds it) and whose every other part throws when touched:
 * registering a route must not need the database or the queues, and this proves it.
 */
function documentOnlyRuntime(): Runtime {
  const known: Partial<Runtime> = {
    config: loadConfig({}),
    logger: createLogger({ level: 'silent', name: 'openapi-document' }),
    // Never presented: the app only needs a non-empty key list to build its auth hook.
    apiKeys: ['openapi-document-only-0123456789'],
  };
  return new Proxy(known as Runtime, {
    get(target, property, receiver) {
      if (typeof property === 'symbol' || property in target) {
        return Reflect.get(target, property, receiver) as unknown;
      }
      throw new Error(`runtime.${property} is not available while building the OpenAPI document`);
    },
  });
}

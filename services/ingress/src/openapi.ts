import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { isApiPath } from './auth.js';
import { withOperationDocs } from './openapi-docs-apply.js';

/** Where the interactive reference lives; its assets are served from the package, not a CDN. */
export const DOCS_PATH = '/docs';

/** The reference page's header: the product's name rather than the web framework's logo. */
const LOGO = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="150" height="32" viewBox="0 0 150 32">' +
    '<text x="0" y="23" fill="#ffffff" font-family="system-ui,sans-serif" font-size="22" font-weight="700">tokenlane</text></svg>',
);
const zodTransform = createJsonSchemaTransform({ skipList: ['/openapi.json'] });

/**
 * Registers `@fastify/swagger` (the document is generated from the route schemas, so it
 * cannot drift from what is validated) with bearer auth marked on every `/v1/*` operation,
 * and the prose of `openapi-docs.ts` (descriptions, error codes, examples) merged in.
 * Call before registering routes: swagger collects them through `onRoute`.
 */
export function registerOpenApi(app: FastifyInstance): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tokenlane',
        version: '0.1.0',
        description:
          'Keeps end users’ OAuth connections alive. `/v1/*` needs `Authorization: Bearer <api key>`. Errors are `{ "error": { "code", "message" } }` with a stable `code`.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key' } },
      },
    },
    transform: (document) => {
      const result = zodTransform(document);
      const schema = withoutOpenQuery(result.schema as Record<string, unknown>);
      if (!isApiPath(document.url) || schema.hide === true) return { ...result, schema };
      return { ...result, schema: { ...schema, security: [{ apiKey: [] }] } };
    },
    transformObject: (document) =>
      withOperationDocs(withoutUnusedSchemas(jsonSchemaTransformObject(document))),
  });
}

/**
 * A query string declared as a record (any key, as the webhook intakes take) has no named
 * parameters: left in, swagger would list the record's own keywords as parameters.
 */
function withoutOpenQuery(schema: Record<string, unknown>): Record<string, unknown> {
  const query = schema.querystring as { properties?: unknown } | undefined;
  if (query === undefined || query.properties !== undefined) return schema;
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== 'querystring'));
}

/**
 * The zod transform adds an input and an output variant of every registered schema
 * (`ErrorInput`, `Error`); drop the ones no operation references.
 */
function withoutUnusedSchemas<T extends object>(document: T): T {
  const { components } = document as { components?: { schemas?: Record<string, unknown> } };
  let schemas: Record<string, unknown> = { ...components?.schemas };
  const rebuilt = () => ({ ...document, components: { ...components, schemas } });
  for (;;) {
    const text = JSON.stringify(rebuilt());
    const unused = Object.keys(schemas).filter(
      (name) => !text.includes(`"#/components/schemas/${name}"`),
    );
    if (unused.length === 0) return rebuilt();
    schemas = Object.fromEntries(
      Object.entries(schemas).filter(([name]) => !unused.includes(name)),
    );
  }
}

/**
 * `GET /openapi.json` and the interactive reference at `/docs` (Swagger UI through
 * `@fastify/swagger-ui`: its bundle ships in the package and is served from here, with a
 * content security policy, so the page works on a machine without internet access).
 */
export function registerDocRoutes(app: FastifyInstance): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  void app.register(fastifySwaggerUi, {
    routePrefix: DOCS_PATH,
    staticCSP: true,
    validatorUrl: false,
    uiConfig: { deepLinking: true, docExpansion: 'list', tryItOutEnabled: false },
    theme: { title: 'tokenlane API reference' },
    logo: { type: 'image/svg+xml', content: LOGO, href: DOCS_PATH, target: '_self' },
  });
}

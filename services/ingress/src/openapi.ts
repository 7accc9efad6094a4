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
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        description:
          'Keeps end users’ OAuth connections alive. `/v1/*` needs `Authorization: Bearer <api key>`. Errors are `{ "error": { "code", "message" } }` with a stable `code`.',
      },
      // Relative: the API is served where this document is (`/openapi.json`).
      servers: [{ url: '/', description: 'This deployment' }],
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key' } },
      },
    },
    transform: (document) => {
      const result = zodTransform(document);
      const schema = withoutOpenQuery(result.schema as Record<string, unknown>);
      if (schema.hide === true) return { ...result, schema };
      // Outside `/v1/*` nothing takes the API key: say so rather than leave it unstated.
      const security = isApiPath(document.url) ? [{ apiKey: [] }] : [];
      return { ...result, schema: { ...schema, security } };
    },
    transformObject: (document) =>
      withOperationDocs(
        withNamedWildcards(withoutUnusedSchemas(jsonSchemaTransformObject(document))),
      ),
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
 * A route's trailing wildcard (`/proxy/*`, the webhook intake's secret path) is listed as a
 * parameter named `*`, which is not a name OpenAPI tools accept; it is the rest of the path.
 */
function withNamedWildcards<T extends object>(document: T): T {
  const { paths } = document as { paths?: Record<string, PathItem> };
  if (paths === undefined) return document;
  const renamed = Object.entries(paths).map(([path, item]): [string, PathItem] =>
    path.endsWith('/{*}')
      ? [`${path.slice(0, -'{*}'.length)}{${WILDCARD}}`, withWildcardNamed(item)]
      : [path, item],
  );
  return { ...document, paths: Object.fromEntries(renamed) };
}

type Parameter = { readonly name: string; readonly in: string };
type PathItem = Record<string, { parameters?: Parameter[] }>;

function withWildcardNamed(item: PathItem): PathItem {
  const named = (parameter: Parameter): Parameter =>
    parameter.in === 'path' && parameter.name === '*'
      ? { ...parameter, name: WILDCARD }
      : parameter;
  return Object.fromEntries(
    Object.entries(item).map(([method, operation]) => [
      method,
      operation.parameters === undefined
        ? operation
        : { ...operation, parameters: operation.parameters.map(named) },
    ]),
  );
}

/** The name a trailing wildcard takes in the document. */
export const WILDCARD = 'rest';

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

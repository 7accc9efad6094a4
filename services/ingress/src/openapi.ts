import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { isApiPath } from './auth.js';

const DOC_ROUTES = ['/openapi.json', '/docs'];
const zodTransform = createJsonSchemaTransform({ skipList: DOC_ROUTES });

/**
 * Registers `@fastify/swagger` (the document is generated from the route schemas, so it
 * cannot drift from what is validated) with bearer auth marked on every `/v1/*` operation.
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
          'Keeps end users’ OAuth connections alive. Errors are `{ "error": { "code", "message" } }`.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key' } },
      },
    },
    transform: (document) => {
      const result = zodTransform(document);
      if (!isApiPath(document.url) || result.schema.hide === true) return result;
      return { ...result, schema: { ...result.schema, security: [{ apiKey: [] }] } };
    },
    transformObject: (document) => withoutUnusedSchemas(jsonSchemaTransformObject(document)),
  });
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

/** `GET /openapi.json` and `GET /docs` (a small self-contained reference page). */
export function registerDocRoutes(app: FastifyInstance): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  let page: string | undefined;
  typed.get('/docs', { schema: { hide: true } }, (_request, reply) => {
    page ??= renderReference(app.swagger() as ReferenceDocument);
    void reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(page);
  });
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The part of the generated document the reference page reads. */
interface ReferenceDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string };
  readonly paths?: Readonly<
    Record<string, Partial<Record<string, { summary?: string; security?: unknown }>> | undefined>
  >;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One table row per operation: method, path, summary, whether it needs the API key. */
function renderReference(document: ReferenceDocument): string {
  const rows: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (operation === undefined) continue;
      const auth = operation.security === undefined ? '' : 'API key';
      rows.push(
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td>` +
          `<td>${escapeHtml(operation.summary ?? '')}</td><td>${auth}</td></tr>`,
      );
    }
  }
  const { title, version } = document.info;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} API</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}</style>
</head><body><h1>${escapeHtml(title)} ${escapeHtml(version)}</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)}).
Authenticate <code>/v1/*</code> with <code>Authorization: Bearer &lt;api key&gt;</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>Auth</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></body></html>`;
}

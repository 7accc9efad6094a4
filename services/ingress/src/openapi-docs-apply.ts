import { API_ERROR_CODES } from '@tokenlane/core';
import { OPERATION_DOCS } from './openapi-docs.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  operationId?: string;
  description?: string;
  requestBody?: { content?: Record<string, { example?: unknown }> };
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { example?: unknown }> }
  >;
}

/**
 * Merges each operation's prose into the generated document: its operationId, the
 * description (before any the route gave), a list of the `error.code` values it answers, the
 * examples, set on the JSON media type of the request and of each answer that has a schema,
 * and the answers no route schema declares (redirects, pages, the proxied provider's).
 */
export function withOperationDocs<T extends object>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      const doc = OPERATION_DOCS[`${method} ${path}`];
      if (operation === undefined || doc === undefined) continue;
      operation.operationId = doc.operationId;
      const errors = [...new Set([...doc.errors, 'internal' as const])]
        .filter((code) => (API_ERROR_CODES as readonly string[]).includes(code))
        .map((code) => `\`${code}\``)
        .join(', ');
      operation.description = [
        doc.description,
        operation.description,
        `**Error codes:** ${errors}.`,
      ]
        .filter((part) => part !== undefined && part !== '')
        .join('\n\n');
      const body = operation.requestBody?.content?.['application/json'];
      if (body !== undefined && doc.request !== undefined) body.example = doc.request;
      for (const [status, example] of Object.entries(doc.responses)) {
        const media = operation.responses?.[status]?.content?.['application/json'];
        if (media !== undefined) media.example = example;
      }
      for (const [status, description] of Object.entries(doc.otherResponses ?? {})) {
        operation.responses = { ...operation.responses, [status]: { description } };
      }
    }
  }
  return document;
}

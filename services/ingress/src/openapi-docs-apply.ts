import { API_ERROR_CODES } from '@tokenlane/core';
import { OPERATION_DOCS } from './openapi-docs.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  description?: string;
  requestBody?: { content?: Record<string, { example?: unknown }> };
  responses?: Record<string, { content?: Record<string, { example?: unknown }> }>;
}

/**
 * Merges each operation's prose into the generated document: the description (before any
 * the route gave), a list of the `error.code` values it answers, and the examples, set on
 * the JSON media type of the request and of each answer that has a schema.
 */
export function withOperationDocs<T extends object>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      const doc = OPERATION_DOCS[`${method} ${path}`];
      if (operation === undefined || doc === undefined) continue;
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
    }
  }
  return document;
}

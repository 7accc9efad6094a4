import { API_ERROR_CODES } from '@tokenlane/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_DOCS } from './openapi-docs.js';
import { openTestApp, type TestApp } from './test-support/runtime.js';

interface Media {
  example?: unknown;
}
interface Operation {
  summary?: string;
  description?: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}

let t: TestApp;
let operations: [string, Operation][];

beforeAll(async () => {
  t = await openTestApp('openapi_docs');
  const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, Operation>>;
  }>();
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]): [string, Operation] => [`${method} ${path}`, op]),
  );
});

afterAll(async () => {
  await t.dispose();
});

describe('the OpenAPI document', () => {
  it('documents every operation: summary, description, error codes, examples', () => {
    expect(operations.length).toBeGreaterThanOrEqual(18);
    for (const [key, op] of operations) {
      expect(OPERATION_DOCS, key).toHaveProperty([key]);
      expect(op.summary, key).toMatch(/\w/);
      expect(op.description, key).toContain(OPERATION_DOCS[key]!.description);
      expect(op.description, key).toMatch(/\*\*Error codes:\*\* .*`internal`/);
      const examples = [
        op.requestBody?.content['application/json']?.example,
        ...Object.values(op.responses).map((r) => r.content?.['application/json']?.example),
      ].filter((example) => example !== undefined);
      // /metrics answers text; every JSON operation shows at least one example.
      if (key !== 'get /metrics') expect(examples.length, key).toBeGreaterThan(0);
      if (op.requestBody !== undefined) {
        expect(op.requestBody.content['application/json']?.example, key).toBeDefined();
      }
    }
  });

  it('lists only real error codes, and no operation without a documented route', () => {
    const keys = new Set(operations.map(([key]) => key));
    for (const [key, doc] of Object.entries(OPERATION_DOCS)) {
      expect(keys.has(key), `${key} is documented but not routed`).toBe(true);
      for (const code of doc.errors) expect(API_ERROR_CODES).toContain(code);
    }
  });

  it('names every operation once, as generated clients call it', () => {
    const ids = Object.values(OPERATION_DOCS).map((doc) => doc.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [key, op] of operations) {
      expect((op as { operationId?: string }).operationId, key).toBe(
        OPERATION_DOCS[key]!.operationId,
      );
    }
  });

  it('lists no parameters made up from a record query schema', () => {
    for (const [key, op] of operations) {
      const names = ((op as { parameters?: { name: string }[] }).parameters ?? []).map(
        (p) => p.name,
      );
      expect(names, key).not.toContain('propertyNames');
      expect(names, key).not.toContain('additionalProperties');
    }
  });
});

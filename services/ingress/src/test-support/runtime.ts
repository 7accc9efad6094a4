import type { Runtime } from '@tokenlane/runtime';
import { openTestRuntime } from '@tokenlane/test-support';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../app.js';

export const TEST_API_KEY = 'test-key-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${TEST_API_KEY}` } as const;

/** A real runtime (test Redis, a fresh Postgres database), the app on it, captured logs. */
export interface TestApp {
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  /** Every log line the app and runtime wrote, as JSON text. */
  readonly logs: string[];
  dispose(): Promise<void>;
}

export interface OpenTestAppOptions {
  /** Runs on the app before `ready()`: tests add throwaway routes here. */
  readonly configure?: (app: FastifyInstance) => void;
  /** Rewrites the test database URL (to route it through a proxy). */
  readonly databaseUrl?: (url: string) => string;
  /** The providers file's content (none: built-ins only). */
  readonly providers?: object;
  /** More environment (`TOKENLANE_ADMIN_PASSWORD` for the console). */
  readonly env?: Record<string, string>;
}

/** The ingress app on a test runtime (secrets, logs and metrics recorded for the run's scan). */
export async function openTestApp(
  label: string,
  options: OpenTestAppOptions = {},
): Promise<TestApp> {
  const opened = await openTestRuntime({
    label,
    role: 'ingress',
    logLevel: 'info',
    env: { TOKENLANE_API_KEYS: TEST_API_KEY, ...options.env },
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    ...(options.providers === undefined ? {} : { providers: options.providers }),
  });
  const app = buildApp({ runtime: opened.runtime });
  options.configure?.(app);
  await app.ready();
  return {
    app,
    runtime: opened.runtime,
    logs: opened.logs,
    async dispose() {
      await app.close();
      await opened.dispose();
    },
  };
}

/** Asserts the one error shape: exactly `{ error: { code, message } }`, JSON. */
export function expectErrorBody(
  response: Pick<LightMyRequestResponse, 'statusCode' | 'headers' | 'json'>,
  status: number,
  code: string,
): void {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json<{ error: { code: string; message: string } }>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
}

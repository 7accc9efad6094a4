import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@tokenlane/config';
import { openRuntime, type Runtime } from '@tokenlane/runtime';
import { KeyRing } from '@tokenlane/vault';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import {
  createTestDatabase,
  testRedisUrl,
  uniquePrefix,
} from '../../../../test/support/harness.js';
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
}

export async function openTestApp(
  label: string,
  options: OpenTestAppOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase(label);
  const dataDir = await mkdtemp(join(tmpdir(), 'tokenlane-ingress-'));
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl?.(database.url) ?? database.url,
    REDIS_URL: testRedisUrl(),
    TOKENLANE_API_KEYS: TEST_API_KEY,
    TOKENLANE_ENCRYPTION_KEYS: KeyRing.generateSpec(),
    TOKENLANE_QUEUE_PREFIX: uniquePrefix('ingress'),
    TOKENLANE_DATA_DIR: dataDir,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'info',
    name: 'ingress-test',
    destination: { write: (line: string) => void logs.push(line) },
  });
  let runtime: Runtime;
  try {
    runtime = await openRuntime({ config, logger, role: 'ingress' });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const app = buildApp({ runtime });
  options.configure?.(app);
  await app.ready();
  return {
    app,
    runtime,
    logs,
    async dispose() {
      await app.close();
      await runtime.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
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

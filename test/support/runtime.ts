import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, type LogLevel } from '@tokenlane/config';
import { openRuntime, type ProcessRole, type Runtime } from '@tokenlane/runtime';
import { KeyRing } from '@tokenlane/vault';
import { createTestDatabase, testRedisUrl, uniquePrefix } from './harness.js';
import { openLogSink, saveMetrics } from './run-artifacts.js';
import { recordConfigSecrets } from './secret-ledger.js';

export const TEST_PUBLIC_URL = 'http://127.0.0.1:9';

export interface OpenTestRuntimeOptions {
  /** Names the database, queue prefix and log file. */
  readonly label?: string;
  /** The providers file's content (none: built-ins only). */
  readonly providers?: object;
  /** More environment, over the defaults. */
  readonly env?: Record<string, string>;
  readonly role?: ProcessRole;
  /** Default `debug`. */
  readonly logLevel?: LogLevel;
  /** Rewrites the test database URL (to route it through a proxy). */
  readonly databaseUrl?: (url: string) => string;
}

/** A runtime in-process, its captured log lines, and its disposal. */
export interface TestRuntime {
  readonly runtime: Runtime;
  /** Every log line it wrote so far, as JSON text. */
  readonly logs: string[];
  dispose(): Promise<void>;
}

/**
 * A real runtime in-process (test Redis, a fresh database, a providers file) and its logs.
 * Its configured secrets go to the run's secret ledger; its log lines and, at dispose, its
 * metrics go to the run directory for the scan after the whole run.
 */
export async function openTestRuntime(options: OpenTestRuntimeOptions = {}): Promise<TestRuntime> {
  const label = options.label ?? 'runtime';
  const database = await createTestDatabase(label);
  const dir = await mkdtemp(join(tmpdir(), `tokenlane-${label}-`));
  const providers = options.providers ?? {};
  const providersFile = join(dir, 'providers.json');
  await writeFile(providersFile, JSON.stringify(providers));
  const env: Record<string, string> = {
    PUBLIC_URL: TEST_PUBLIC_URL,
    DATABASE_URL: options.databaseUrl?.(database.url) ?? database.url,
    REDIS_URL: testRedisUrl(),
    TOKENLANE_API_KEYS: 'runtime-test-key-0123456789',
    TOKENLANE_ENCRYPTION_KEYS: KeyRing.generateSpec(),
    TOKENLANE_PROVIDERS_FILE: providersFile,
    TOKENLANE_QUEUE_PREFIX: uniquePrefix(label),
    TOKENLANE_DATA_DIR: join(dir, 'data'),
    ...options.env,
  };
  recordConfigSecrets(env, providers, label);
  const config = loadConfig(env);
  const logs: string[] = [];
  const logFile = openLogSink(label);
  const logger = createLogger({
    level: options.logLevel ?? 'debug',
    name: `${label}-test`,
    destination: {
      write: (line: string) => {
        logFile(line);
        logs.push(line);
      },
    },
  });
  const cleanUp = async () => {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  };
  let runtime: Runtime;
  try {
    runtime = await openRuntime({ config, logger, role: options.role ?? 'worker' });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return {
    runtime,
    logs,
    dispose: async () => {
      // A runtime whose Redis or database a test took away may not render its metrics.
      const metrics = await runtime.metrics.text().catch(() => undefined);
      if (metrics !== undefined) saveMetrics(label, metrics);
      await runtime.close();
      await cleanUp();
    },
  };
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@tokenlane/config';
import { openRuntime, type Runtime } from '@tokenlane/runtime';
import { KeyRing } from '@tokenlane/vault';
import { createTestDatabase, testRedisUrl, uniquePrefix } from './harness.js';
import { openLogSink, saveMetrics } from './run-artifacts.js';
import { recordConfigSecrets } from './secret-ledger.js';

export const TEST_PUBLIC_URL = 'http://127.0.0.1:9';

/**
 * A real runtime in-process (test Redis, a fresh database, a providers file) and its logs.
 * Its configured secrets go to the run's secret ledger; its log lines and, at dispose, its
 * metrics go to the run directory for the scan after the whole run.
 */
export async function openTestRuntime(options: {
  providers: object;
  env?: Record<string, string>;
}): Promise<{ runtime: Runtime; logs: string[]; dispose(): Promise<void> }> {
  const database = await createTestDatabase('runtime');
  const dir = await mkdtemp(join(tmpdir(), 'tokenlane-runtime-'));
  const providersFile = join(dir, 'providers.json');
  await writeFile(providersFile, JSON.stringify(options.providers));
  const env: Record<string, string> = {
    PUBLIC_URL: TEST_PUBLIC_URL,
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    TOKENLANE_API_KEYS: 'runtime-test-key-0123456789',
    TOKENLANE_ENCRYPTION_KEYS: KeyRing.generateSpec(),
    TOKENLANE_PROVIDERS_FILE: providersFile,
    TOKENLANE_QUEUE_PREFIX: uniquePrefix('runtime'),
    TOKENLANE_DATA_DIR: join(dir, 'data'),
    ...options.env,
  };
  recordConfigSecrets(env, options.providers, 'runtime');
  const config = loadConfig(env);
  const logs: string[] = [];
  const logFile = openLogSink('runtime');
  const logger = createLogger({
    level: 'debug',
    name: 'runtime-test',
    destination: {
      write: (line: string) => {
        logFile(line);
        logs.push(line);
      },
    },
  });
  const runtime = await openRuntime({ config, logger, role: 'worker' });
  return {
    runtime,
    logs,
    dispose: async () => {
      // A runtime whose Redis or database a test took away may not render its metrics.
      const metrics = await runtime.metrics.text().catch(() => undefined);
      if (metrics !== undefined) saveMetrics('runtime', metrics);
      await runtime.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

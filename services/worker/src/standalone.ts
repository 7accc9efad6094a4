import { resolve } from 'node:path';
import { createLogger, loadConfigOrExit, redactUrl, wantsPrettyLogs } from '@tokenlane/config';
import { useProviderTimeout } from '@tokenlane/oauth';
import { buildApp } from '@tokenlane/ingress';
import { openRuntime } from '@tokenlane/runtime';
import { startDevDemo } from './demo/index.js';
import { exitOnBootError, onShutdown } from './shutdown.js';
import { startWorkerPool } from './worker.js';

/**
 * `npm start`: ingress and every worker in one process, for a first run. With DATABASE_URL
 * unset it uses embedded PGlite, with REDIS_URL unset it runs its own redis-server child,
 * both under TOKENLANE_DATA_DIR (./.tokenlane).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  // A person at a terminal reads lines; production and pipes keep JSON.
  const pretty = wantsPrettyLogs(config, process.stdout.isTTY);
  const logger = createLogger({ level: config.logLevel, name: 'tokenlane', pretty });
  useProviderTimeout(config.providerTimeoutMs);
  // The local demo provider (provider `demo`), unless production or TOKENLANE_DEMO=off.
  const demo = await startDevDemo(config, logger);
  const extraProviders = demo?.providers;
  const runtime = await openRuntime({
    config,
    logger,
    role: 'standalone',
    ...(extraProviders === undefined ? {} : { extraProviders }),
  });
  const pool = await startWorkerPool(runtime);
  const app = buildApp({ runtime });
  await app.listen({ port: config.port, host: process.env.HOST ?? '0.0.0.0' });
  printBanner(runtime);
  onShutdown(logger, async () => {
    await app.close();
    await pool.close();
    await runtime.close();
    await demo?.close();
  });
}

function printBanner(runtime: Awaited<ReturnType<typeof openRuntime>>): void {
  const { config } = runtime;
  const lines = [
    '',
    `tokenlane is running at ${config.publicUrl}`,
    `  readiness:  ${config.publicUrl}/readyz`,
    `  API docs:   ${config.publicUrl}/docs`,
    config.adminPassword === undefined
      ? '  console:    off (set TOKENLANE_ADMIN_PASSWORD to open /admin)'
      : `  console:    ${config.publicUrl}/admin   (user admin, TOKENLANE_ADMIN_PASSWORD)`,
    `  database:   ${config.databaseUrl === undefined ? `embedded PGlite in ${resolve(config.dataDir, 'pglite')}` : redactUrl(config.databaseUrl)}`,
    `  redis:      ${runtime.localRedis === undefined ? redactUrl(runtime.redisUrl) : `local redis-server (${runtime.redisUrl}), data in ${resolve(config.dataDir, 'redis')}`}`,
  ];
  if (runtime.generatedApiKey !== undefined) {
    lines.push(
      `  API key:    ${runtime.generatedApiKey}   (development key, stored in ${resolve(config.dataDir, 'dev-api-key')}; set TOKENLANE_API_KEYS in production)`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch(exitOnBootError);

import { createLogger, loadConfigOrExit, wantsPrettyLogs } from '@tokenlane/config';
import { useProviderTimeout } from '@tokenlane/oauth';
import { openRuntime } from '@tokenlane/runtime';
import { startHealthServer } from './health-server.js';
import { exitOnBootError, onShutdown } from './shutdown.js';
import { startWorkerPool } from './worker.js';

/** `npm run start:worker`: the BullMQ workers, scaled out as replicas in production. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const logger = createLogger({
    level: config.logLevel,
    name: 'tokenlane-worker',
    pretty: wantsPrettyLogs(config, process.stdout.isTTY),
  });
  useProviderTimeout(config.providerTimeoutMs);
  const runtime = await openRuntime({ config, logger, role: 'worker' });
  const pool = await startWorkerPool(runtime);
  const health = await startHealthServer(runtime, config.workerHealthPort);
  logger.info({ healthPort: config.workerHealthPort }, 'worker started');
  onShutdown(logger, async () => {
    health.close();
    await pool.close();
    await runtime.close();
  });
}

main().catch(exitOnBootError);

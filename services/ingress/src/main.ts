import { createLogger, loadConfigOrExit, wantsPrettyLogs, type Logger } from '@tokenlane/config';
import { useProviderTimeout } from '@tokenlane/oauth';
import { openRuntime, type Runtime } from '@tokenlane/runtime';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { listenInternal } from './internal-listener.js';

/** Past this, a shutdown that is still draining gives up (orchestrators kill at ~30 s). */
const SHUTDOWN_TIMEOUT_MS = 25_000;

function fatal(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tokenlane ingress: ${message.split('\n', 1)[0] ?? ''}\n`);
  process.exit(1);
}

/**
 * SIGTERM/SIGINT: stop accepting and finish in-flight requests (`app.close()`), then close
 * Redis, queues and the database. A second signal, or the timer, forces exit 1.
 */
function handleSignals(app: FastifyInstance, runtime: Runtime, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    app
      .close()
      .then(() => runtime.close())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const logger = createLogger({
    level: config.logLevel,
    name: 'ingress',
    pretty: wantsPrettyLogs(config, process.stdout.isTTY),
  });
  useProviderTimeout(config.providerTimeoutMs);
  const runtime = await openRuntime({ config, logger, role: 'ingress' });
  if (runtime.generatedApiKey !== undefined) {
    // Printed, not logged: the key must not reach a log pipeline (docs/architecture.md, rule 1).
    process.stderr.write(`TOKENLANE_API_KEYS is unset; dev API key: ${runtime.generatedApiKey}\n`);
  }
  const app = buildApp({ runtime });
  handleSignals(app, runtime, logger);
  try {
    const host = process.env.HOST ?? '0.0.0.0';
    const address = await app.listen({ port: config.port, host });
    logger.info({ address, publicUrl: config.publicUrl }, 'ingress listening');
    if (config.internalPort !== undefined) {
      const internal = await listenInternal(app, config.internalPort, host);
      logger.info({ port: internal.port }, 'internal listener (metrics, admin, docs) listening');
    }
  } catch (error) {
    await app.close().catch(() => undefined);
    await runtime.close();
    throw error;
  }
}

main().catch(fatal);

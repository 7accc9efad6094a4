import type { Logger } from '@tokenlane/config';

/**
 * Runs `stop` once on SIGTERM/SIGINT, then exits 0. A second signal, or `stop` running past
 * `timeoutMs`, exits 1 at once: an orchestrator's kill must never find us hung.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>, timeoutMs = 30_000): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, timeoutMs).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

/** Boot failures: one line on stderr, exit 1 (no stack for a configuration mistake). */
export function exitOnBootError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tokenlane: ${message}\n`);
  process.exit(1);
}

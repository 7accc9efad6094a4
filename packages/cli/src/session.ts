import {
  createLogger,
  loadConfig,
  type Config,
  type Logger,
  type LogLevel,
} from '@tokenlane/config';
import type { DatabaseHandle } from '@tokenlane/db';
import type { Runtime } from '@tokenlane/runtime';
import { usageError } from './errors.js';
import { writeJson, type OutputStream } from './output.js';

/** What the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** A request body for `call --data -`; absent where there is none (in-process tests). */
  readonly stdin?: AsyncIterable<Uint8Array> | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  readonly onInterrupt: (handler: () => void) => () => void;
}

/** One command invocation: its output mode and lazily opened configuration and connections. */
export class CliSession {
  #config: Config | undefined;

  constructor(
    readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** The services' environment, parsed the same way; a ConfigError becomes exit 2. */
  config(): Config {
    this.#config ??= loadConfig(this.io.env);
    return this.#config;
  }

  /**
   * Redis, database (migrated) and queues, as a worker process opens them; closed after
   * `work`, also when it throws.
   */
  async withRuntime<T>(work: (runtime: Runtime) => Promise<T>): Promise<T> {
    const config = this.config();
    requireSet(config.databaseUrl, 'DATABASE_URL');
    requireSet(config.redisUrl, 'REDIS_URL');
    requireProductionSecrets(config);
    // Loaded on use (here and in the commands), so --help and usage errors answer at once.
    const { openRuntime } = await import('@tokenlane/runtime');
    const runtime = await openRuntime({ config, logger: this.#logger(config), role: 'worker' });
    try {
      return await work(runtime);
    } finally {
      await runtime.close();
    }
  }

  /** The database alone (no Redis, no migrations), for `migrate` and `keys`. */
  async withDatabase<T>(work: (db: DatabaseHandle, config: Config) => Promise<T>): Promise<T> {
    const config = this.config();
    const url = requireSet(config.databaseUrl, 'DATABASE_URL');
    const logger = this.#logger(config);
    const { createDatabase } = await import('@tokenlane/db');
    const db = await createDatabase({
      url,
      pool: { max: 2 },
      onError: (error) => {
        logger.error({ err: { message: error.message } }, 'database connection failed');
      },
    });
    try {
      return await work(db, config);
    } finally {
      await db.close();
    }
  }

  /** `value` as JSON with `--json`, else the human rendering. */
  print(value: unknown, human: () => string): void {
    if (this.json) writeJson(this.io.stdout, value);
    else this.io.stdout.write(human());
  }

  /** Quiet by default: a CLI's stdout is its output, and runtime info lines are noise here. */
  #logger(config: Config): Logger {
    const level: LogLevel = this.io.env.LOG_LEVEL === undefined ? 'warn' : config.logLevel;
    const stderr = this.io.stderr;
    return createLogger({
      level,
      name: 'tokenlane-cli',
      destination: { write: (line) => stderr.write(line) },
    });
  }
}

function requireSet(value: string | undefined, variable: string): string {
  if (value === undefined) {
    throw usageError(
      `${variable} must be set: the CLI works on the same ${variable === 'REDIS_URL' ? 'Redis' : 'Postgres'} as the running services`,
    );
  }
  return value;
}

/** The runtime refuses these too, but as a plain error; here they are configuration (exit 2). */
function requireProductionSecrets(config: Config): void {
  if (config.nodeEnv !== 'production') return;
  if (config.apiKeys.length === 0) {
    throw usageError('TOKENLANE_API_KEYS must be set when NODE_ENV=production');
  }
  if (config.encryptionKeys === undefined) {
    throw usageError('TOKENLANE_ENCRYPTION_KEYS must be set when NODE_ENV=production');
  }
}

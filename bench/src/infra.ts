import { fork, type ChildProcess } from 'node:child_process';
import { openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig } from '@tokenlane/config';
import { freePort, startLocalRedis } from '@tokenlane/queue';
import { openRuntime, type Runtime } from '@tokenlane/runtime';
import { KeyRing } from '@tokenlane/vault';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startLocalPostgres } from '@tokenlane/test-support';

export const API_KEY = 'bench-api-key-0123456789abcdef';
export const PROVIDER = 'bench';

/** Redis and Postgres for the whole run: our own servers unless REDIS_URL/DATABASE_URL are set. */
export interface Infra {
  readonly redisUrl: string;
  readonly adminUrl: string;
  readonly endpoint: TokenEndpoint;
  readonly dir: string;
  stop(): Promise<void>;
}

export interface TokenEndpoint {
  readonly url: string;
  grants(): Promise<number>;
  /** Requests answered 503 during outages so far. */
  refused(): Promise<number>;
  /** Answers 503 to every token request for the next `ms`. */
  outage(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startInfra(): Promise<Infra> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenlane-bench-'));
  const stops: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    let redisUrl = process.env.REDIS_URL;
    if (redisUrl === undefined) {
      const redis = await startLocalRedis({ dataDir: join(dir, 'redis') });
      stops.push(() => redis.stop());
      redisUrl = redis.url;
    }
    let adminUrl = process.env.DATABASE_URL;
    if (adminUrl === undefined) {
      const postgres = await startLocalPostgres(await freePort());
      stops.push(() => postgres.stop());
      adminUrl = postgres.url;
    }
    const endpoint = await startTokenEndpoint();
    stops.push(() => endpoint.stop());
    return { redisUrl, adminUrl, endpoint, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The local token endpoint in its own process; `args` as token-endpoint.ts reads them. */
export async function startTokenEndpoint(args: readonly string[] = []): Promise<TokenEndpoint> {
  const file = fileURLToPath(new URL('token-endpoint.ts', import.meta.url));
  const child: ChildProcess = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  const url = `http://127.0.0.1:${message.port}`;
  return {
    url,
    grants: async () => {
      const response = await fetch(`${url}/stats`);
      return ((await response.json()) as { grants: number }).grants;
    },
    refused: async () => {
      const response = await fetch(`${url}/stats`);
      return ((await response.json()) as { refused: number }).refused;
    },
    outage: async (ms) => {
      await fetch(`${url}/outage?ms=${ms}`, { method: 'POST' });
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
}

/** Every line written synchronously to /dev/null, as pino writes to stdout by default. */
function devNull(): { write(line: string): void } {
  const fd = openSync('/dev/null', 'w');
  return {
    write: (line) => {
      writeSync(fd, line);
    },
  };
}

let counter = 0;

/** A fresh database and an in-process runtime on it, with the local provider configured. */
export async function openBenchRuntime(
  infra: Pick<Infra, 'redisUrl' | 'adminUrl' | 'dir'> & { readonly endpoint: { url: string } },
  label: string,
  /** More fields of the bench provider's entry (a `rateLimit`). */
  providerExtras: Record<string, unknown> = {},
  options: {
    /** Another token endpoint than the run's (the latency section's slow one). */
    readonly endpoint?: { readonly url: string };
    /** `info` writes every line a deployment would, to /dev/null (section 8); else `error` only. */
    readonly logLevel?: 'error' | 'info';
  } = {},
): Promise<{
  rt: Runtime;
  redis: Redis;
  /** The runtime's settings, for another process to attach to the same database and keys. */
  env: Readonly<Record<string, string>>;
  close: () => Promise<void>;
}> {
  const { endpoint = infra.endpoint, logLevel = 'error' } = options;
  counter += 1;
  const name = `bench_${label}_${process.pid}_${counter}`;
  const admin = new pg.Client({ connectionString: infra.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(infra.adminUrl);
  url.pathname = `/${name}`;
  const providersFile = join(infra.dir, `${name}.json`);
  await writeFile(
    providersFile,
    JSON.stringify({
      [PROVIDER]: {
        kind: 'oauth2',
        authorizationUrl: `${endpoint.url}/authorize`,
        tokenUrl: `${endpoint.url}/token`,
        clientId: 'bench',
        clientSecret: 'bench-secret-0123456789',
        scopes: ['read'],
        ...providerExtras,
      },
    }),
  );
  const env = {
    PUBLIC_URL: 'http://127.0.0.1:9',
    DATABASE_URL: url.toString(),
    REDIS_URL: infra.redisUrl,
    TOKENLANE_API_KEYS: API_KEY,
    TOKENLANE_ENCRYPTION_KEYS: KeyRing.generateSpec('bench1'),
    TOKENLANE_PROVIDERS_FILE: providersFile,
    TOKENLANE_ALLOWED_RETURN_URLS: 'http://127.0.0.1:9/app/',
    TOKENLANE_QUEUE_PREFIX: `{${name}}`,
    TOKENLANE_DATA_DIR: join(infra.dir, name),
    LOG_LEVEL: logLevel,
  };
  const rt = await attachBenchRuntime(env);
  const redis = new Redis(infra.redisUrl);
  return {
    rt,
    redis,
    env,
    close: async () => {
      redis.disconnect();
      await rt.close();
      const dropper = new pg.Client({ connectionString: infra.adminUrl });
      await dropper.connect();
      // Plain first: FORCE would only be needed if a connection leaked, and it makes noise.
      await dropper
        .query(`DROP DATABASE IF EXISTS "${name}"`)
        .catch(() => dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      await dropper.end();
    },
  };
}

/**
 * A runtime on a bench database made by {@link openBenchRuntime} (its `env`): another process
 * (section 9's worker) reads and refreshes the same connections, sealed under the same keys.
 */
export async function attachBenchRuntime(env: Readonly<Record<string, string>>): Promise<Runtime> {
  const level = env.LOG_LEVEL === 'info' ? 'info' : 'error';
  const logger =
    level === 'error'
      ? createLogger({ level, name: 'bench' })
      : createLogger({ level, name: 'bench', destination: devNull() });
  return openRuntime({ config: loadConfig(env), logger, role: 'worker' });
}

/** Redis `used_memory` in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

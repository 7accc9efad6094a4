import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type DatabaseHandle } from '@tokenlane/db';
import { freePort } from '@tokenlane/queue';
import { KeyRing } from '@tokenlane/vault';
import { Redis } from 'ioredis';
import { createTestDatabase, testRedisUrl, uniquePrefix } from './harness.js';
import { dumpDatabase, saveRedisSnapshot } from './run-artifacts.js';
import { startService, type ServiceProcess } from './tokenlane-process.js';

export const API_KEY = 'e2e-api-key-0123456789abcdef';
export const RETURN_URL = 'http://127.0.0.1:9/app/linked';

/** A running tokenlane: ingress and worker as separate processes on real Redis and Postgres. */
export interface Stack {
  readonly url: string;
  readonly port: number;
  readonly prefix: string;
  readonly keyRing: KeyRing;
  /** The same database the services use, for assertions. */
  readonly db: DatabaseHandle;
  readonly redis: Redis;
  readonly services: readonly ServiceProcess[];
  /** The services' environment: the CLI run with it works on this stack. */
  readonly env: Readonly<Record<string, string>>;
  /** Calls the API with the API key; returns status, headers and parsed JSON body. */
  api: Api;
  /** Starts one more worker process (a replica, or a restart after stopping one). */
  startWorker(): Promise<ServiceProcess>;
  /** Starts one more ingress process on a port of its own (a replica behind a load balancer). */
  startIngress(): Promise<IngressReplica>;
  /** Stops the ingress on the stack's port (SIGTERM) and starts a new one there: a deploy. */
  restartIngress(): Promise<ServiceProcess>;
  /** Every log line every service wrote so far. */
  logs(): string[];
  stop(): Promise<void>;
}

/** Calls an ingress with the API key; returns status, headers and parsed JSON body. */
export type Api = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiResponse>;

/** An extra ingress process sharing the stack's Redis, database and configuration. */
export interface IngressReplica {
  readonly url: string;
  readonly service: ServiceProcess;
  readonly api: Api;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/**
 * Starts ingress and worker from source with a providers file. `providers` receives the
 * ingress URL first, because the peers' redirect URIs must name it. `stop()` leaves what the
 * secret scan after the whole run needs: each service's /metrics (see `ServiceProcess.stop`),
 * a dump of the database, and a snapshot of the stack's keys in a Redis of the caller's own.
 */
export async function startStack(options: {
  providers: (ingressUrl: string) => Promise<object> | object;
  databaseUrl?: string;
  env?: Record<string, string>;
}): Promise<Stack> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const healthPort = await freePort();
  // A database of the caller's own (a Postgres it restarts), else a fresh one on the test cluster
  // (whose drop() dumps it). The caller's own is dumped here: it outlives the stack.
  const ownUrl = options.databaseUrl;
  const database =
    ownUrl === undefined
      ? await createTestDatabase('e2e')
      : {
          url: ownUrl,
          drop: async () => {
            await dumpDatabase(ownUrl, 'e2e-own');
          },
        };
  // A caller's own prefix (a hash-tagged one on Redis Cluster) is the stack's too.
  const prefix = options.env?.TOKENLANE_QUEUE_PREFIX ?? uniquePrefix('e2e');
  const dir = await mkdtemp(join(tmpdir(), 'tokenlane-e2e-'));
  const providersFile = join(dir, 'providers.json');
  await writeFile(providersFile, JSON.stringify(await options.providers(url)));
  const keySpec = KeyRing.generateSpec('e2e1');
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    TOKENLANE_API_KEYS: API_KEY,
    TOKENLANE_ENCRYPTION_KEYS: keySpec,
    TOKENLANE_PROVIDERS_FILE: providersFile,
    TOKENLANE_ALLOWED_RETURN_URLS: 'http://127.0.0.1:9/app/',
    TOKENLANE_QUEUE_PREFIX: prefix,
    TOKENLANE_WORKER_HEALTH_PORT: String(healthPort),
    TOKENLANE_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const services: ServiceProcess[] = [];
  const db = await createDatabase({ url: database.url });
  const redis = new Redis(testRedisUrl());
  const stop = async () => {
    await Promise.all(services.map((service) => service.stop()));
    await db.close();
    await redis.quit();
    // A Redis Cluster is snapshotted whole by its owner (redis-cluster.ts) before it stops.
    if (env.REDIS_URL !== testRedisUrl() && env.TOKENLANE_REDIS_CLUSTER !== 'true') {
      // The final scan reads the shared Redis only; keep this stack's keys from its own.
      const own = new Redis(env.REDIS_URL!);
      saveRedisSnapshot(`redis-${prefix}`, await dumpRedis(own, prefix));
      await own.quit();
    }
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // The ingress migrates first; the worker then finds the schema ready.
    services.push(await startService('ingress', env, `${url}/readyz`));
    services.push(await startService('worker', env, `http://127.0.0.1:${healthPort}/readyz`));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    port,
    prefix,
    env,
    keyRing: KeyRing.parse(keySpec),
    db,
    redis,
    services,
    api: apiAt(url),
    startWorker: async () => {
      const port = await freePort();
      const worker = await startService(
        'worker',
        { ...env, TOKENLANE_WORKER_HEALTH_PORT: String(port) },
        `http://127.0.0.1:${port}/readyz`,
      );
      services.push(worker);
      return worker;
    },
    restartIngress: async () => {
      const current = services.find(
        (service) =>
          service.name === 'ingress' &&
          service.child.exitCode === null &&
          service.child.signalCode === null &&
          service.metricsUrl.startsWith(`${url}/`),
      );
      await current?.stop();
      const service = await startService('ingress', env, `${url}/readyz`);
      services.push(service);
      return service;
    },
    startIngress: async () => {
      const replicaPort = await freePort();
      const replicaUrl = `http://127.0.0.1:${replicaPort}`;
      const service = await startService(
        'ingress',
        { ...env, PORT: String(replicaPort) },
        `${replicaUrl}/readyz`,
      );
      services.push(service);
      return { url: replicaUrl, service, api: apiAt(replicaUrl) };
    },
    logs: () => services.flatMap((service) => service.output),
    stop,
  };
}

function apiAt(url: string): Api {
  return async (method, path, body, headers = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        authorization: `Bearer ${API_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

/** Every key and value under `prefix` (or matching `pattern`) in Redis, as text, for secret scans. */
export async function dumpRedis(
  redis: Redis,
  prefix: string,
  pattern = `${prefix}:*`,
): Promise<string> {
  const keys = await redis.keys(pattern);
  const parts: string[] = [];
  for (const key of keys) {
    parts.push(key);
    const type = await redis.type(key);
    if (type === 'string') parts.push((await redis.get(key)) ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  return parts.join('\n');
}

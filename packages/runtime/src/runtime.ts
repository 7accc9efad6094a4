import { join } from 'node:path';
import type { Config, Logger } from '@tokenlane/config';
import {
  countConnectionsByProviderAndStatus,
  createDatabase,
  migrateToLatest,
  pendingMigrations,
  type DatabaseHandle,
} from '@tokenlane/db';
import { createMetrics, type Metrics } from '@tokenlane/metrics';
import {
  failurePolicy,
  JOB_NAMES,
  providerBudgets,
  providerHealth,
  type LifecycleContext,
  type ProviderBudget,
} from '@tokenlane/lifecycle';
import { loadProviders } from '@tokenlane/providers';
import { JobQueues, startLocalRedis, useQueueTelemetry, type LocalRedis } from '@tokenlane/queue';
import { runningTracing } from '@tokenlane/tracing';
import type { ConnectionOptions } from 'bullmq';
import { resolveSecrets } from './dev-secrets.js';
import { openProducerRedis, openWorkerConnection } from './redis-topology.js';

/** Which process is booting; only the all-in-one first run may start its own Redis. */
export type ProcessRole = 'ingress' | 'worker' | 'standalone';

/**
 * Everything a tokenlane process shares: open connections and resolved configuration. It is
 * the lifecycle operations' context (database, key ring, providers, queues, metrics, logger)
 * plus what only the boot and the services need: the database handle to close, API keys,
 * worker connection settings, the local Redis child.
 */
export interface Runtime extends LifecycleContext {
  readonly config: Config;
  /** The open database: its kysely handle is `db`; `close()` ends it. */
  readonly database: DatabaseHandle;
  readonly apiKeys: readonly string[];
  /** This process's Prometheus registry and metric handles (`/metrics`). */
  readonly metrics: Metrics;
  /** Connection settings for BullMQ workers (blocking, retry forever). */
  readonly workerConnection: ConnectionOptions;
  readonly redisUrl: string;
  readonly generatedApiKey: string | undefined;
  readonly localRedis: LocalRedis | undefined;
  close(): Promise<void>;
}

/**
 * Boots the shared parts in order — secrets, providers file, Redis, database, migrations — and
 * fails with one clear error if any is wrong. `close()` undoes it in reverse.
 */
export async function openRuntime(options: {
  config: Config;
  logger: Logger;
  role: ProcessRole;
  /** Providers-file entries added at boot (the dev demo provider); an id also in the file is an error. */
  extraProviders?: Readonly<Record<string, object>>;
}): Promise<Runtime> {
  const { config, logger, role } = options;
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    // Traces (started by `--import @tokenlane/tracing/register` when an OTLP endpoint is set)
    // cross the queue in the job; their shutdown, the last closer, exports the final spans.
    const tracing = runningTracing();
    useQueueTelemetry(tracing?.queueTelemetry);
    if (tracing !== undefined) closers.push(() => tracing.shutdown());
    const secrets = await resolveSecrets(config, logger);
    const providers = loadProviders({
      ...(config.providersFile === undefined ? {} : { file: config.providersFile }),
      publicUrl: config.publicUrl,
      ...(options.extraProviders === undefined ? {} : { extra: options.extraProviders }),
    });

    let localRedis: LocalRedis | undefined;
    let redisUrl = config.redisUrl;
    if (redisUrl === undefined) {
      if (role !== 'standalone') {
        throw new Error(
          `REDIS_URL must be set for the ${role} process (only npm start runs its own Redis)`,
        );
      }
      const started = await startLocalRedis({ dataDir: join(config.dataDir, 'redis') });
      closers.push(() => started.stop());
      localRedis = started;
      redisUrl = started.url;
      logger.info({ url: redisUrl }, 'started a local redis-server (REDIS_URL unset)');
    }
    const redis = await openProducerRedis(redisUrl, config, logger);
    closers.push(() => redis.quit());

    if (config.databaseUrl === undefined && role !== 'standalone') {
      throw new Error(
        `DATABASE_URL must be set for the ${role} process (embedded PGlite serves a single process: npm start)`,
      );
    }
    const db = await createDatabase({
      url: config.databaseUrl,
      dataDir: join(config.dataDir, 'pglite'),
      onError: (error) => {
        logger.error({ err: error }, 'idle database connection failed');
      },
    });
    closers.push(() => db.close());
    const applied = await migrateToLatest(db.db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

    const workerConnection = openWorkerConnection(redisUrl, config, logger, redis);
    if (workerConnection.close !== undefined) closers.push(workerConnection.close);
    const queues = new JobQueues(
      redis,
      config.queuePrefix,
      workerConnection.options,
      (queue, error) => {
        logger.warn({ queue, err: { message: error.message } }, 'queue redis error');
      },
    );
    closers.push(() => queues.close());
    // The health gauge reads the breakers through the runtime, made below; a scrape only
    // happens once it exists.
    const metrics = createMetrics({
      queues: () => queues.all(JOB_NAMES),
      connectionCounts: () => countConnectionsByProviderAndStatus(db.db),
      providerHealth: () => providerHealth(runtime),
      rateBudgets: async () => appWindowsLeft(await providerBudgets(runtime)),
      onCollectError: (collector, error) => {
        const message = error instanceof Error ? error.message : 'unknown';
        logger.warn({ collector, err: { message } }, 'metrics collector failed');
      },
    });

    const runtime: Runtime = {
      config,
      logger,
      db: db.db,
      database: db,
      policy: failurePolicy(config),
      keyRing: secrets.keyRing,
      apiKeys: secrets.apiKeys,
      providers,
      queues,
      metrics,
      workerConnection: workerConnection.options,
      redisUrl,
      redis,
      generatedApiKey: secrets.generatedApiKey,
      localRedis,
      close,
    };
    return runtime;
  } catch (error) {
    await close();
    throw error;
  }
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: {
    readonly redis: boolean;
    readonly database: boolean;
    readonly migrations: boolean;
  };
}

/** `/readyz`: Redis answers, the database answers, and no migration is pending. */
export async function checkReadiness(runtime: Runtime): Promise<Readiness> {
  const [redis, migrations] = await Promise.all([
    runtime.redis.ping().then(
      () => true,
      () => false,
    ),
    pendingMigrations(runtime.db).then(
      (pending) => ({ database: true, migrations: pending.length === 0 }),
      () => ({ database: false, migrations: false }),
    ),
  ]);
  const checks = { redis, ...migrations };
  return { ready: redis && migrations.database && migrations.migrations, checks };
}

/** The gauge's rows: app-wide windows only (their remaining is known without a connection). */
function appWindowsLeft(budgets: readonly ProviderBudget[]) {
  return budgets.flatMap(({ provider, windows }) =>
    windows.flatMap(({ window, remaining }) =>
      remaining === null ? [] : [{ provider, window, remaining }],
    ),
  );
}

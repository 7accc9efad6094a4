import { redactUrl, type Config, type Logger } from '@tokenlane/config';
import { createRedis, createRedisCluster, knownNodes, type RedisClient } from '@tokenlane/queue';
import { Cluster } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';

type RedisSettings = Pick<Config, 'redisCluster' | 'redisClusterNodes'>;

/**
 * Opens the fast-fail connection of request paths (a single Redis, or a Redis Cluster when
 * `TOKENLANE_REDIS_CLUSTER=true`), waits until it answers, and refuses a Redis whose
 * topology the configuration does not match. Every failure is one line naming the fix.
 */
export async function openProducerRedis(
  url: string,
  config: RedisSettings,
  logger: Logger,
): Promise<RedisClient> {
  const redis = config.redisCluster
    ? createRedisCluster(url, 'producer', { lazyConnect: true, seeds: config.redisClusterNodes })
    : createRedis(url, 'producer', { lazyConnect: true });
  let lastError: Error | undefined;
  // Without a listener ioredis prints every reconnect failure as "Unhandled error event".
  redis.on('error', (error: Error) => {
    lastError = error;
    logger.warn({ err: { message: error.message } }, 'redis connection error');
  });
  try {
    await redis.connect().catch((error: unknown) => {
      const cause = lastErrorOf(error) ?? lastError?.message ?? 'unknown';
      const what = config.redisCluster ? 'the Redis Cluster' : 'Redis';
      throw new Error(`cannot reach ${what} at ${redactUrl(url)}: ${cause}`);
    });
    await refuseUndeclaredCluster(redis, config);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}

/**
 * A single-node client on a cluster node works until the first key of another slot, then
 * fails with MOVED at random: refuse at boot instead. A Redis that hides `INFO` (some
 * managed services restrict it) is let through; a real mismatch still fails loudly later.
 */
async function refuseUndeclaredCluster(redis: RedisClient, config: RedisSettings): Promise<void> {
  if (config.redisCluster) return;
  const info = await redis.info('cluster').catch(() => '');
  if (/^cluster_enabled:1\b/m.test(info)) {
    throw new Error(
      'REDIS_URL names a Redis Cluster node: set TOKENLANE_REDIS_CLUSTER=true and a hash-tagged TOKENLANE_QUEUE_PREFIX such as {tokenlane}',
    );
  }
}

/** ioredis puts the cause of a failed cluster connect in `lastNodeError`. */
function lastErrorOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const node = (error as { lastNodeError?: unknown }).lastNodeError;
  return node instanceof Error ? `${error.message} ${node.message}` : error.message;
}

/** What BullMQ workers and queue-event listeners connect with, and how to close it. */
export interface WorkerConnection {
  readonly options: ConnectionOptions;
  /** Set when the connection is an open client of ours (the cluster one). */
  readonly close?: () => Promise<unknown>;
}

/**
 * Single Redis: connection options, from which BullMQ opens connections of its own. Redis
 * Cluster: one cluster client that retries forever (`maxRetriesPerRequest: null` on every
 * node, as BullMQ requires); BullMQ shares it for plain commands and duplicates it for each
 * blocking one, and it is ours to close. It starts from every node the producer found, not
 * the URL's node alone: BullMQ's copies must still connect when that node is the one down.
 */
export function openWorkerConnection(
  url: string,
  config: RedisSettings,
  logger: Logger,
  /** The connected producer client: its view of the cluster seeds this one. */
  producer: RedisClient,
): WorkerConnection {
  if (!config.redisCluster) return { options: { url, maxRetriesPerRequest: null } };
  const seeds = [
    ...config.redisClusterNodes,
    ...(producer instanceof Cluster ? knownNodes(producer) : []),
  ];
  const cluster = createRedisCluster(url, 'worker', { seeds });
  cluster.on('error', (error: Error) => {
    logger.warn({ err: { message: error.message } }, 'redis cluster connection error');
  });
  return { options: cluster, close: () => cluster.quit() };
}

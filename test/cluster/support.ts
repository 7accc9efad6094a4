import { hashTagOf } from '@tokenlane/config';
import type { ConnectionId } from '@tokenlane/core';
import { JobQueues } from '@tokenlane/queue';
import { Cluster } from 'ioredis';
import { tally } from '../support/bursts.js';
import { uniquePrefix } from '../support/harness.js';
import { startOidcStack, type OidcStack, type OidcStackOptions } from '../support/oidc-stack.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';

/** tokenlane (ingress + worker processes) on a Redis Cluster of its own, with an oidc peer. */
export interface ClusterWorld {
  readonly cluster: RedisCluster;
  readonly oidc: OidcStack;
  /** The test's own cluster client (not tokenlane's), for looking at keys and queues. */
  readonly redis: Cluster;
  /** Queues under the stack's prefix, read through `redis`. */
  readonly queues: JobQueues;
  close(): Promise<void>;
}

/** A fresh queue prefix with a hash tag, as Redis Cluster requires (`{tl-cluster-…}`). */
export function clusterPrefix(label: string): string {
  return `{${uniquePrefix(label)}}`;
}

/**
 * Starts a six-node cluster, then the stack with `REDIS_URL` naming one node of it: the
 * master of the prefix's slot, the worst seed there is, since a failover test kills that
 * master and tokenlane must then find the cluster through the nodes it discovered.
 */
export async function startClusterWorld(options: OidcStackOptions): Promise<ClusterWorld> {
  const cluster = await startRedisCluster();
  const prefix = clusterPrefix('cluster');
  let oidc: OidcStack;
  try {
    const seed = await cluster.masterOf(`${prefix}:any`);
    oidc = await startOidcStack({
      ...options,
      env: {
        REDIS_URL: seed.url,
        TOKENLANE_REDIS_CLUSTER: 'true',
        TOKENLANE_QUEUE_PREFIX: prefix,
        // The first exchange after a failover may wait for its worker's blocking connection
        // to find the new master; the link must still end in success, not `pending`.
        TOKENLANE_CALLBACK_WAIT_MS: '15000',
        ...options.env,
      },
    });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  const redis = new Cluster(
    cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    {
      retryDelayOnFailover: 300,
      retryDelayOnClusterDown: 300,
    },
  );
  redis.on('error', () => undefined);
  const queues = new JobQueues(redis, oidc.stack.prefix);
  return {
    cluster,
    oidc,
    redis,
    queues,
    close: async () => {
      await queues.close();
      redis.disconnect();
      await oidc.close();
      await cluster.stop();
    },
  };
}

/** Every key on every master of the cluster (tokenlane's and BullMQ's alike). */
export async function allKeys(redis: Cluster): Promise<string[]> {
  const perMaster = await Promise.all(redis.nodes('master').map((node) => node.keys('*')));
  return perMaster.flat();
}

/** Whether every key carries the prefix's hash tag, so all of them share one slot. */
export function outsideHashTag(keys: readonly string[], prefix: string): string[] {
  const tag = hashTagOf(prefix);
  return keys.filter((key) => tag === undefined || hashTagOf(key) !== tag);
}

/** The statuses of `ids`, tallied ("active null": 200). */
export async function statusTally(
  oidc: OidcStack,
  ids: readonly ConnectionId[],
): Promise<Record<string, number>> {
  return tally((await oidc.rows(ids)).map((row) => `${row.status} ${row.last_error_code}`));
}

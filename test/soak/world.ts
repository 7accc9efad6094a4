import type { ConnectionId } from '@tokenlane/core';
import { freePort, JobQueues } from '@tokenlane/queue';
import { Cluster } from 'ioredis';
import { clusterPrefix } from '../cluster/support.js';
import { startReceiver, type Receiver } from '../events/receiver.js';
import { startLocalPostgres, type LocalPostgres } from '../support/local-postgres.js';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';
import {
  startRedisCluster,
  type ClusterNode,
  type RedisCluster,
} from '../support/redis-cluster.js';

/** Access tokens live this long at the peer: each connection refreshes about every 15 s. */
export const ACCESS_TOKEN_TTL_S = 30;
export const SWEEP_INTERVAL_MS = 2_000;
/** A refresh lease lapses this soon after its holder is lost (a killed worker, a wiped batch). */
export const REFRESH_LEASE_MS = 6_000;
export const WEBHOOK_SECRET = 'whsec_c29hay10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm';

/** Everything the soak runs and breaks: tokenlane as in production, and every peer it needs. */
export interface SoakWorld {
  readonly cluster: RedisCluster;
  readonly postgres: LocalPostgres;
  readonly receiver: Receiver;
  readonly oidc: OidcStack;
  /** The soak's own cluster client (not tokenlane's), for queues and memory. */
  readonly redis: Cluster;
  readonly queues: JobQueues;
  readonly prefix: string;
  readonly ids: ConnectionId[];
  close(): Promise<void>;
}

/**
 * Starts a six-node Redis Cluster, a Postgres of its own (the soak restarts it), the webhook
 * receiver, an oidc-provider peer behind the fault proxy, tokenlane's ingress and two workers
 * (separate processes, `TOKENLANE_REDIS_CLUSTER=true`, a `{…}` prefix), and links `connections`.
 */
export async function startSoakWorld(connections: number): Promise<SoakWorld> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const cluster = await startRedisCluster();
    closers.push(() => cluster.stop());
    const prefix = clusterPrefix('soak');
    const seed = await bystander(cluster, prefix);
    // The stack keeps a plain Redis client for tests of one Redis; outside vitest there is none.
    process.env.TOKENLANE_TEST_REDIS_URL ??= seed.url;
    const postgres = await startLocalPostgres(await freePort());
    closers.push(() => postgres.stop());
    const receiver = await startReceiver(WEBHOOK_SECRET);
    closers.push(() => receiver.close());
    const oidc = await startOidcStack({
      clientId: 'soak',
      proxy: true,
      accessTokenTtl: ACCESS_TOKEN_TTL_S,
      databaseUrl: postgres.url,
      env: {
        REDIS_URL: seed.url,
        TOKENLANE_REDIS_CLUSTER: 'true',
        TOKENLANE_QUEUE_PREFIX: prefix,
        TOKENLANE_CALLBACK_WAIT_MS: '15000',
        TOKENLANE_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
        TOKENLANE_REFRESH_LEASE_MS: String(REFRESH_LEASE_MS),
        // A paused provider is probed again within seconds of a burst's end.
        TOKENLANE_PROVIDER_PROBE_SECONDS: '3',
        TOKENLANE_PROVIDER_TIMEOUT_MS: '5000',
        TOKENLANE_WEBHOOK_URL: receiver.url,
        TOKENLANE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        // Debug lines at thousands of refreshes a minute would only fill the soak's memory.
        LOG_LEVEL: 'info',
      },
    });
    closers.push(() => oidc.close());
    await oidc.stack.startWorker();
    const redis = new Cluster(
      cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
      { retryDelayOnFailover: 300, retryDelayOnClusterDown: 300 },
    );
    redis.on('error', () => undefined);
    const queues = new JobQueues(redis, prefix);
    closers.push(async () => {
      await queues.close();
      redis.disconnect();
    });
    const ids = await linkAll(oidc, connections);
    return { cluster, postgres, receiver, oidc, redis, queues, prefix, ids, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * A master of another shard than the prefix's: `REDIS_URL` names it, since the soak kills the
 * prefix's master, and a process started while its seed node is down cannot boot
 * (docs/reliability.md, "Known gaps"); running processes find the cluster from any node.
 */
async function bystander(cluster: RedisCluster, prefix: string): Promise<ClusterNode> {
  const target = await cluster.masterOf(`${prefix}:any`);
  for (let i = 0; ; i += 1) {
    const master = await cluster.masterOf(`bystander-${i}`);
    if (master.port !== target.port) return master;
  }
}

/** Links `count` users, eight at a time (the link flow is several round trips each). */
async function linkAll(oidc: OidcStack, count: number): Promise<ConnectionId[]> {
  const ids: ConnectionId[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next += 1;
      ids.push(await oidc.link(`soak-${next}`));
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, count) }, lane));
  return ids;
}

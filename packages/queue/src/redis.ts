import { Cluster, Redis, type RedisOptions } from 'ioredis';

/**
 * Who holds the connection decides how it fails:
 * - `worker`: blocking BullMQ commands; retries forever (`maxRetriesPerRequest: null` is
 *   required by BullMQ workers) so a Redis restart is ridden out.
 * - `producer`: request paths (an HTTP handler enqueuing a job); fails fast instead of
 *   queueing commands while Redis is away, so callers can answer 503 at once.
 */
export type RedisRole = 'worker' | 'producer';

/** A single Redis or a Redis Cluster: both take every command tokenlane sends. */
export type RedisClient = Redis | Cluster;

/** A Redis Cluster node's address. */
export interface ClusterSeed {
  readonly host: string;
  readonly port: number;
}

/** The addresses of every node `cluster` knows now (masters and replicas). */
export function knownNodes(cluster: Cluster): ClusterSeed[] {
  return cluster.nodes('all').map((node) => ({
    host: node.options.host ?? '127.0.0.1',
    port: node.options.port ?? 6379,
  }));
}

/** Opens an ioredis connection tuned for its role. */
export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    connectionName: `tokenlane-${role}`,
    // Reconnect with a capped backoff; never give up for workers.
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...extra,
  };
  return role === 'worker'
    ? new Redis(url, { ...common, maxRetriesPerRequest: null, enableReadyCheck: true })
    : new Redis(url, { ...common, maxRetriesPerRequest: 1, enableOfflineQueue: false });
}

/**
 * Opens a Redis Cluster client seeded by the node at `url` (credentials and TLS come from
 * it and apply to every node); the other nodes and the slot map are discovered with
 * `CLUSTER SLOTS`, so one reachable node is enough to start. Reads go to masters
 * (`scaleReads: 'master'`): BullMQ must read what it just wrote.
 */
export function createRedisCluster(
  url: string,
  role: RedisRole,
  extra: {
    lazyConnect?: boolean;
    /**
     * More startup nodes besides the URL's. A copy of the client (BullMQ duplicates one for
     * each blocking connection) connects through its startup nodes alone: seeded with every
     * node known at boot, a copy made after the seed node died still finds the cluster.
     */
    seeds?: readonly ClusterSeed[];
  } = {},
): Cluster {
  const seed = new URL(url);
  const tls = seed.protocol === 'rediss:';
  const nodeOptions: RedisOptions = {
    connectionName: `tokenlane-${role}`,
    ...(seed.username === '' ? {} : { username: decodeURIComponent(seed.username) }),
    ...(seed.password === '' ? {} : { password: decodeURIComponent(seed.password) }),
    ...(tls ? { tls: {} } : {}),
    // Per node: a worker's command waits out a failover, a producer's fails fast.
    maxRetriesPerRequest: role === 'worker' ? null : 1,
  };
  const first = { host: seed.hostname, port: Number(seed.port || 6379) };
  const others = (extra.seeds ?? []).filter(
    (node) => node.host !== first.host || node.port !== first.port,
  );
  return new Cluster([first, ...others], {
    redisOptions: nodeOptions,
    scaleReads: 'master',
    enableReadyCheck: true,
    enableOfflineQueue: role === 'worker',
    // While a dead master's replica is being promoted (cluster-node-timeout plus an
    // election), commands to its slots meet a closed connection, CLUSTERDOWN, or MOVED to the
    // dead master from nodes that have not noticed yet; each retry after a fresh slot map
    // counts as a redirection, 100-300 ms apart. A worker's command rides out a failover
    // (200 redirections: about 40 s, more than the default 15 s node timeout plus an
    // election); a producer's gives up after 16 (a few seconds) and its caller answers 503.
    ...(role === 'worker'
      ? { maxRedirections: 200, retryDelayOnMoved: 100 }
      : { maxRedirections: 16, retryDelayOnMoved: 50 }),
    retryDelayOnFailover: 300,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 300,
    slotsRefreshTimeout: 2_000,
    clusterRetryStrategy: (times) => Math.min(times * 200, 5_000),
    // TLS certificates name hosts: keep the announced hostnames instead of resolving them.
    ...(tls
      ? {
          dnsLookup: (address, lookup) => {
            lookup(null, address);
          },
        }
      : {}),
    ...(extra.lazyConnect === true ? { lazyConnect: true } : {}),
  });
}

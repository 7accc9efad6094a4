import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, REDIS_SERVER_SETTINGS } from '@tokenlane/queue';
import { Redis } from 'ioredis';
import { saveRedisSnapshot } from './run-artifacts.js';
import { dumpRedis } from './stack.js';

/** How long a master may be unreachable before the cluster fails it over (redis.conf). */
export const CLUSTER_NODE_TIMEOUT_MS = 2_000;

/** One `redis-server` of the cluster. */
export interface ClusterNode {
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  alive(): boolean;
}

/** A real Redis Cluster on loopback: three masters, one replica each. */
export interface RedisCluster {
  readonly nodes: readonly ClusterNode[];
  /** A seed URL for `REDIS_URL`: the first node (clients discover the others). */
  readonly seedUrl: string;
  /** The node serving `key`'s slot as master right now, as a live node sees it. */
  masterOf(key: string): Promise<ClusterNode>;
  /** Sends `signal` to the node on `port` and waits until it is gone. */
  kill(port: number, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts the stopped node on `port` again on its own data and `nodes.conf`: a master that
   * was failed over rejoins as a replica of its successor (call waitUntilHealthy after).
   */
  restart(port: number): Promise<void>;
  /** Resolves once every live node reports `cluster_state:ok` and every slot has a live master. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** Keeps every key and value of every live node for the run's secret scan, then stops all. */
  stop(): Promise<void>;
}

const SERVER_ARGS = [
  '--bind',
  '127.0.0.1',
  '--cluster-enabled',
  'yes',
  '--cluster-config-file',
  'nodes.conf',
  '--cluster-node-timeout',
  String(CLUSTER_NODE_TIMEOUT_MS),
  // The settings tokenlane asks of any Redis: AOF on, never evict a job key.
  ...REDIS_SERVER_SETTINGS,
];

/**
 * Starts six `redis-server` processes in cluster mode on free loopback ports, joins them
 * with `redis-cli --cluster create … --cluster-replicas 1` (three masters, three replicas)
 * and waits until every replica has synced: a failover test may kill a master at once.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenlane-cluster-'));
  const nodes: ClusterNode[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((node) => stopNode(node, 'SIGTERM')));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i += 1)
      nodes.push(await startNode(join(dir, String(i)), await freePort()));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
  } catch (error) {
    await stopAll();
    throw error;
  }
  const byPort = (port: number) => {
    const node = nodes.find((candidate) => candidate.port === port);
    if (node === undefined) throw new Error(`no cluster node on port ${port}`);
    return node;
  };
  const cluster: RedisCluster = {
    nodes,
    seedUrl: nodes[0]!.url,
    masterOf: async (key) => {
      const slot = await withNode(liveNode(nodes), (redis) => redis.cluster('KEYSLOT', key));
      const master = (await slotMasters(liveNode(nodes))).get(slot);
      if (master === undefined) throw new Error(`no master serves slot ${slot}`);
      return byPort(master);
    },
    kill: (port, signal = 'SIGKILL') => stopNode(byPort(port), signal),
    restart: async (port) => {
      const index = nodes.indexOf(byPort(port));
      if (nodes[index]!.alive()) throw new Error(`cluster node ${port} is still running`);
      nodes[index] = await startNode(join(dir, String(index)), port);
    },
    waitUntilHealthy: (timeoutMs = 30_000) => waitUntilHealthy(nodes, timeoutMs),
    stop: async () => {
      // Masters only: a replica holds the same keys, and answers reads of them with MOVED.
      for (const node of nodes.filter((candidate) => candidate.alive())) {
        const text = await withNode(node, async (redis) =>
          (await redis.info('replication')).includes('role:master')
            ? dumpRedis(redis, '', '*')
            : undefined,
        );
        if (text !== undefined) saveRedisSnapshot(`redis-cluster-${node.port}`, text);
      }
      await stopAll();
    },
  };
  try {
    await cluster.waitUntilHealthy();
  } catch (error) {
    await stopAll();
    throw error;
  }
  return cluster;
}

async function startNode(dir: string, port: number): Promise<ClusterNode> {
  await mkdir(dir, { recursive: true });
  const child = spawn('redis-server', [...SERVER_ARGS, '--port', String(port), '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (!output.join('').includes('Ready to accept connections')) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited with ${child.exitCode}: ${output.join('').slice(-500)}`);
    }
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} not ready in 10 s`);
    await sleep(20);
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    child,
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

async function stopNode(node: ClusterNode, signal: NodeJS.Signals): Promise<void> {
  if (!node.alive()) return;
  const exited = once(node.child, 'exit');
  node.child.kill(signal);
  await exited;
}

function liveNode(nodes: readonly ClusterNode[]): ClusterNode {
  const node = nodes.find((candidate) => candidate.alive());
  if (node === undefined) throw new Error('no cluster node is running');
  return node;
}

/** A short-lived single-node connection (no retries): for looking at one node. */
async function withNode<T>(node: ClusterNode, look: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(node.url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    return await look(redis);
  } finally {
    redis.disconnect();
  }
}

/** Slot → master port, as `node` sees the cluster (`CLUSTER SLOTS`). */
async function slotMasters(node: ClusterNode): Promise<Map<number, number>> {
  const ranges = (await withNode(node, (redis) => redis.cluster('SLOTS'))) as unknown as [
    number,
    number,
    [string, number, ...unknown[]],
    ...unknown[],
  ][];
  const masters = new Map<number, number>();
  for (const [from, to, [, port]] of ranges) {
    for (let slot = from; slot <= to; slot += 1) masters.set(slot, port);
  }
  return masters;
}

async function waitUntilHealthy(nodes: readonly ClusterNode[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: string;
    try {
      last = await healthProblem(nodes);
      if (last === '') return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`Redis Cluster not healthy: ${last}`);
    await sleep(100);
  }
}

/** Empty when healthy, else what is still wrong. */
async function healthProblem(nodes: readonly ClusterNode[]): Promise<string> {
  const live = nodes.filter((node) => node.alive());
  const livePorts = new Set(live.map((node) => node.port));
  for (const node of live) {
    const info = await withNode(node, (redis) => redis.cluster('INFO'));
    if (!info.includes('cluster_state:ok')) return `${node.port}: cluster_state not ok`;
    const replication = await withNode(node, (redis) => redis.info('replication'));
    if (replication.includes('role:slave') && !replication.includes('master_link_status:up')) {
      return `${node.port}: replica not in sync`;
    }
  }
  const masters = await slotMasters(live[0]!);
  if (masters.size !== 16_384) return `${16_384 - masters.size} slots unassigned`;
  const dead = [...new Set(masters.values())].filter((port) => !livePorts.has(port));
  return dead.length > 0 ? `slots still on dead masters ${dead.join(', ')}` : '';
}

async function run(command: string, args: readonly string[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} exited with ${code}: ${output.join('').slice(-800)}`);
}

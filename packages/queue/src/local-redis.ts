import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A `redis-server` child started for a first run or a test run; never used in production. */
export interface LocalRedis {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface LocalRedisOptions {
  /** Directory for the append-only file; created when missing. */
  dataDir: string;
  /** Port to listen on; a free one is chosen when omitted. */
  port?: number;
  /** `redis-server` binary; defaults to the one on PATH. */
  binary?: string;
}

/**
 * The `redis-server` settings tokenlane asks of any Redis it starts (a local one here, the
 * test suite's cluster nodes): AOF on, so jobs survive a restart; `noeviction`, so Redis
 * never drops a job key; no RDB snapshots; protected mode.
 */
export const REDIS_SERVER_SETTINGS: readonly string[] = [
  '--appendonly',
  'yes',
  '--maxmemory-policy',
  'noeviction',
  '--save',
  '',
  '--protected-mode',
  'yes',
];

/** Asks the kernel for a free loopback TCP port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/**
 * Starts `redis-server` on 127.0.0.1 with the settings BullMQ needs in production too:
 * AOF on (jobs survive a restart) and `noeviction` (Redis must never drop a job key).
 */
export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  await mkdir(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const child = spawn(
    options.binary ?? 'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      options.dataDir,
      ...REDIS_SERVER_SETTINGS,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  await waitUntilReady(child, output, () =>
    output.join('').includes('Ready to accept connections'),
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => stopChild(child),
  };
}

async function waitUntilReady(
  child: ChildProcess,
  output: string[],
  ready: () => boolean,
): Promise<void> {
  const failure = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error('redis-server not found: run `npm run setup`, or set REDIS_URL')
          : error,
      );
    });
    child.once('exit', (code) => {
      reject(new Error(`redis-server exited with ${String(code)}: ${output.join('').slice(-500)}`));
    });
  });
  const deadline = Date.now() + 10_000;
  const poll = (async () => {
    while (!ready()) {
      if (Date.now() > deadline) throw new Error('redis-server did not become ready in 10 s');
      await sleep(20);
    }
  })();
  await Promise.race([poll, failure]);
  failure.catch(() => undefined);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { appendEvent, createDatabase, type DatabaseHandle } from '@tokenlane/db';
import { sweepJob } from '@tokenlane/lifecycle';
import { JobQueues, startWorkers } from '@tokenlane/queue';
import { KeyRing } from '@tokenlane/vault';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  seedConnections,
  type SeededConnection,
} from '../../packages/cli/src/test-support/connections.js';
import {
  createTestDatabase,
  testRedisUrl,
  uniquePrefix,
  type TestDatabase,
} from '../support/harness.js';
import { runCli as runTokenlane } from '@tokenlane/cli';
import { memoryIo } from '../../packages/cli/src/test-support/memory-io.js';
import { json, runCli, runInProcess } from './tokenlane-cli.js';

// The parts of a running stack the CLI talks to: a fresh Postgres database and a Redis queue
// prefix, the environment the services would be given. No worker runs, so the jobs the CLI
// enqueues stay in Redis to be looked at. `runCli` starts a real process (exit codes, output
// flushed through pipes); `runInProcess` runs the same code here, to keep the file fast.
const spec = KeyRing.generateSpec('k1');
const prefix = uniquePrefix('cli');
const missing = '00000000-0000-4000-8000-000000000000';

let database: TestDatabase;
let db: DatabaseHandle;
let redis: Redis;
let dataDir: string;
let env: Record<string, string>;
let seeded: SeededConnection[];
let migrated: { applied: string[] };

beforeAll(async () => {
  database = await createTestDatabase('cli_stack');
  dataDir = await mkdtemp(join(tmpdir(), 'tokenlane-cli-'));
  redis = new Redis(testRedisUrl());
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    TOKENLANE_QUEUE_PREFIX: prefix,
    TOKENLANE_ENCRYPTION_KEYS: spec,
    TOKENLANE_API_KEYS: 'cli-test-api-key-0123456789',
    TOKENLANE_DATA_DIR: dataDir,
  };
  // The CLI itself creates the schema.
  migrated = json(await runCli(['migrate', '--json'], env)) as typeof migrated;
  db = await createDatabase({ url: database.url });
  seeded = await seedConnections(db.db, KeyRing.parse(spec), 3, 'stack');
  for (const { id } of seeded.slice(0, 2)) {
    await appendEvent(db.db, {
      type: 'connection.created',
      connectionId: id,
      userId: 'u',
      provider: 'fitbit',
      data: { connectionId: id, status: 'active' },
    });
  }
}, 60_000);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await db.close();
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('tokenlane against Postgres and Redis', () => {
  it('migrates a fresh database, and then has nothing to apply', async () => {
    expect(migrated.applied.length).toBeGreaterThan(0);
    const again = await runInProcess(['migrate'], env);
    expect(again).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
  });

  it('lists and shows connections without any token or ciphertext', async () => {
    const ordered = await db.db
      .selectFrom('connections')
      .select('id')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const [list, show, next] = await Promise.all([
      runCli(['connections', 'list', '--json', '--limit', '2'], env),
      runInProcess(['connections', 'show', seeded[1]!.id], env),
      runInProcess(['connections', 'list', '--after', ordered[1]!.id], env),
    ]);
    const page = json(list) as { data: Record<string, unknown>[]; nextCursor: string | null };
    expect(page.data.map((c) => c.id)).toEqual(ordered.slice(0, 2).map((row) => row.id));
    expect(page.nextCursor).toBe(ordered[1]!.id);
    // The page after the cursor starts at the third row, whatever its provider (other tests of
    // this file link connections of their own into the same database).
    expect(next.stdout.split('\n')[1]).toMatch(new RegExp(`^${ordered[2]!.id}  \\S+  \\S+`));
    expect(Object.keys(page.data[0]!).filter((key) => /token|enc|version/i.test(key))).toEqual([]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`id:               ${seeded[1]!.id}`);
    expect(show.stdout).toContain('status:           active');
    for (const output of [list.stdout, show.stdout]) {
      expect(output).not.toContain('v1.k1.');
      for (const token of seeded.flatMap((s) => Object.values(s.plain))) {
        expect(output).not.toContain(token);
      }
    }
  });

  it('enqueues an operator refresh under the configured prefix, and queues stats counts it', async () => {
    const id = seeded[0]!.id;
    const refreshed = json(await runCli(['--json', 'refresh', id], env)) as { jobId: string };
    expect(refreshed.jobId).toBe(`refresh-${id}`);
    const job = await redis.hgetall(`${prefix}:refresh:refresh-${id}`);
    expect(JSON.parse(job.data!)).toEqual({ connectionId: id, trigger: 'operator' });
    const stats = json(await runInProcess(['queues', 'stats', '--json'], env)) as {
      prefix: string;
      queues: Record<string, Record<string, number>>;
    };
    expect(stats.prefix).toBe(prefix);
    expect(stats.queues.refresh).toMatchObject({ waiting: 1, failed: 0 });
  });

  it('exits 3 for a connection that does not exist', async () => {
    const results = await Promise.all([
      runCli(['revoke', missing], env),
      runInProcess(['connections', 'show', 'not-an-id'], env),
    ]);
    for (const result of results) expect(result.code).toBe(3);
    expect(results[0].stderr).toBe(`tokenlane: connection ${missing} not found\n`);
    expect(await redis.exists(`${prefix}:revoke:revoke-${missing}`)).toBe(0);
  });

  it('tails events as NDJSON from a cursor', async () => {
    const [all, rest] = await Promise.all([
      runInProcess(['events', 'tail', '--json'], env),
      runInProcess(['events', 'tail', '--json', '--after', '1'], env),
    ]);
    const events = all.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { cursor: string; type: string; connectionId: string });
    expect(events.map((e) => [e.cursor, e.type, e.connectionId])).toEqual([
      ['1', 'connection.created', seeded[0]!.id],
      ['2', 'connection.created', seeded[1]!.id],
    ]);
    expect(rest.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('follows new events until interrupted, then exits 0', async () => {
    const { io, out, interrupt } = memoryIo({ NODE_ENV: 'test', ...env });
    const running = runTokenlane(['events', 'tail', '--follow', '--after', '2'], io);
    await sleep(300);
    await appendEvent(db.db, {
      type: 'connection.revoked',
      connectionId: seeded[2]!.id,
      data: { connectionId: seeded[2]!.id, status: 'revoked' },
    });
    while (!out.stdout.includes('connection.revoked')) await sleep(50);
    interrupt();
    expect(await running).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CURSOR\s+CREATED\s+TYPE/);
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(
      new RegExp(`^3\\s+\\S+\\s+connection\\.revoked\\s+${seeded[2]!.id}\\s+-\\s+revoked$`),
    );
  });

  it('retries the failed jobs of one queue', async () => {
    const queues = new JobQueues({ url: testRedisUrl() }, prefix);
    const failingSweep = {
      ...sweepJob,
      run: () => Promise.reject(new Error('sweep failed on purpose')),
    };
    const workers = startWorkers([failingSweep], undefined, {
      connection: { url: testRedisUrl(), maxRetriesPerRequest: null },
      prefix,
    });
    try {
      await queues.enqueue(sweepJob, {});
      while ((await queues.queue('sweep').getFailedCount()) === 0) await sleep(20);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
    const retried = json(
      await runInProcess(['queues', 'retry-failed', 'sweep', '--json'], env),
    ) as { retried: number };
    expect(retried.retried).toBe(1);
    expect(await queues.queue('sweep').getJobState('sweep')).toBe('waiting');
    await queues.close();
  });

  it('answers a bad environment with one line and exit 2', async () => {
    const result = await runCli(['connections', 'list'], {
      ...env,
      REDIS_URL: 'http://127.0.0.1:6379',
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'Invalid environment: REDIS_URL must be a redis:// or rediss:// URL (got "http://127.0.0.1:6379")\n',
    );
  });

  it('runs through the npm bin launcher', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['packages/cli/bin/tokenlane.js', '--help'],
      {
        cwd: join(import.meta.dirname, '../..'),
      },
    );
    expect(stdout).toContain('Usage: tokenlane');
  });
});

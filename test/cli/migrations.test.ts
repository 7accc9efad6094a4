import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newConnectionId, type ConnectionId } from '@tokenlane/core';
import {
  createDatabase,
  findConnections,
  insertConnection,
  type DatabaseHandle,
} from '@tokenlane/db';
import { sealOAuth1Tokens } from '@tokenlane/lifecycle';
import { freePort } from '@tokenlane/queue';
import { KeyRing, Secret } from '@tokenlane/vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGarminPeer, type GarminPeer } from '../peers/garmin-peer.js';
import {
  createTestDatabase,
  testRedisUrl,
  uniquePrefix,
  type TestDatabase,
} from '../support/harness.js';
import { startService, type ServiceProcess } from '../support/tokenlane-process.js';
import { json, runCli, runInProcess } from './tokenlane-cli.js';

const CONNECTIONS = 12;
const spec = KeyRing.generateSpec('k1');

let peer: GarminPeer;
let database: TestDatabase;
let db: DatabaseHandle;
let dir: string;
let env: Record<string, string>;
let worker: ServiceProcess;
const ids: ConnectionId[] = [];

beforeAll(async () => {
  peer = await startGarminPeer();
  // Slow and rate-limited, so the progress bar has something to show.
  peer.setExchangeDelay(200);
  database = await createTestDatabase('cli_migrations');
  dir = await mkdtemp(join(tmpdir(), 'tokenlane-cli-migrations-'));
  const providersFile = join(dir, 'providers.json');
  const entries = peer.entries();
  await writeFile(
    providersFile,
    JSON.stringify({
      ...entries,
      garmin: { ...entries.garmin, rateLimit: { requests: 4, perSeconds: 1 } },
    }),
  );
  const healthPort = await freePort();
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    TOKENLANE_QUEUE_PREFIX: uniquePrefix('cli-migrations'),
    TOKENLANE_ENCRYPTION_KEYS: spec,
    TOKENLANE_API_KEYS: 'cli-migrations-api-key-0123456789',
    TOKENLANE_PROVIDERS_FILE: providersFile,
    TOKENLANE_DATA_DIR: join(dir, 'data'),
    TOKENLANE_WORKER_HEALTH_PORT: String(healthPort),
    PUBLIC_URL: 'http://127.0.0.1:9',
  };
  worker = await startService('worker', env, `http://127.0.0.1:${healthPort}/readyz`);
  db = await createDatabase({ url: database.url });
  const ring = KeyRing.parse(spec);
  for (let i = 0; i < CONNECTIONS; i += 1) {
    const grant = peer.grantOAuth1(`garmin-cli-${i}`);
    const id = newConnectionId();
    await insertConnection(db.db, {
      id,
      userId: `cli-${i}`,
      provider: 'garmin',
      status: 'active',
      providerUserId: `garmin-cli-${i}`,
      ...sealOAuth1Tokens(ring, id, {
        token: new Secret(grant.token),
        tokenSecret: new Secret(grant.secret),
      }),
    });
    ids.push(id);
  }
}, 90_000);

afterAll(async () => {
  await worker.stop();
  await db.close();
  await database.drop();
  await peer.close();
  await rm(dir, { recursive: true, force: true });
});

interface CliMigration {
  id: string;
  status: string;
  dryRun: boolean;
  counts: Record<string, number>;
}

describe('tokenlane providers and migrations', () => {
  it('lists providers with their sunsets and successors', async () => {
    const result = await runInProcess(['providers'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^fitbit\s+oauth2\s+no\s+2026-11-02 \(retired\)\s+google-health$/m,
    );
    expect(result.stdout).toMatch(
      /^nest-legacy\s+oauth2\s+no\s+2023-09-29 \(retired\)\s+google-nest$/m,
    );
    // The providers file cleared Garmin's sunset for this deployment (the peer stays usable).
    expect(result.stdout).toMatch(/^garmin\s+oauth1\s+yes\s+-\s+garmin-oauth2$/m);
    expect(result.stdout).not.toContain(peer.consumerSecret);
  });

  it('a dry run reports what would happen and changes nothing', async () => {
    const view = json(
      await runInProcess(
        ['migrations', 'start', '--from', 'garmin', '--to', 'garmin-oauth2', '--dry-run', '--json'],
        env,
      ),
    ) as CliMigration;
    expect(view).toMatchObject({ status: 'completed', dryRun: true });
    expect(view.counts).toMatchObject({ total: CONNECTIONS, migrated: CONNECTIONS, pending: 0 });
    const rows = await findConnections(db.db, ids);
    expect(rows.every((row) => row.provider === 'garmin' && row.tokenSecretEnc !== null)).toBe(
      true,
    );
    expect(peer.exchangeRequests()).toBe(0);
  });

  it('a real run draws its progress until every connection moved', async () => {
    const result = await runCli(
      ['migrations', 'start', '--from', 'garmin', '--to', 'garmin-oauth2'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    // Not a terminal: a progress line at the start, then at most every two seconds.
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('migrating garmin'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^migrating garmin → garmin-oauth2: \d+\/12 \d+%$/);
    expect(lines.at(-1)).toBe('migrating garmin → garmin-oauth2: 12/12 100%');
    expect(result.stdout).toMatch(/^status:\s+completed$/m);
    expect(result.stdout).toContain('12 total: 12 migrated');
    const rows = await findConnections(db.db, ids);
    expect(
      rows.every((row) => row.provider === 'garmin-oauth2' && row.tokenSecretEnc === null),
    ).toBe(true);
    const migrationId = /^migration:\s+(\S+)$/m.exec(result.stdout)?.[1];
    const status = json(await runInProcess(['migrations', 'status', migrationId!, '--json'], env));
    expect(status).toMatchObject({ id: migrationId, status: 'completed' });
    const cancel = await runInProcess(['migrations', 'cancel', migrationId!], env);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain('already completed');
    // pause and resume answer like cancel: a finished run is a failure (1), an unknown id 3.
    for (const action of ['pause', 'resume']) {
      const late = await runInProcess(['migrations', action, migrationId!], env);
      expect(late.code, action).toBe(1);
      expect(late.stderr).toContain('already completed');
      const unknown = await runInProcess(
        ['migrations', action, '00000000-0000-4000-8000-000000000000'],
        env,
      );
      expect(unknown.code, action).toBe(3);
    }
  }, 60_000);

  it('answers usage errors and unknown ids with their exit codes', async () => {
    const wrong = await runInProcess(
      ['migrations', 'start', '--from', 'garmin', '--to', 'fitbit'],
      env,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('not the declared successor');
    const unknown = await runInProcess(
      ['migrations', 'status', '00000000-0000-4000-8000-000000000000'],
      env,
    );
    expect(unknown.code).toBe(3);
    const list = json(
      await runInProcess(['migrations', 'status', '--json'], env),
    ) as CliMigration[];
    expect(list).toHaveLength(2);
  });
});

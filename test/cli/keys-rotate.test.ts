import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RotationSummary } from '@tokenlane/cli';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '@tokenlane/db';
import { KeyRing } from '@tokenlane/vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readBack,
  seedConnections,
  type SeededConnection,
} from '../../packages/cli/src/test-support/connections.js';
import { countRowsNotUnderKey } from '../../packages/cli/src/rotation/key-queries.js';
import { createTestDatabase, type TestDatabase } from '../support/harness.js';
import { json, runCli, runInProcess, startCli } from './tokenlane-cli.js';

const CONNECTIONS = 300;
const specA = KeyRing.generateSpec('A');
const specB = KeyRing.generateSpec('B');

let database: TestDatabase;
let db: DatabaseHandle;
let dataDir: string;
let seeded: SeededConnection[];
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase('cli_keys');
  db = await createDatabase({ url: database.url });
  await migrateToLatest(db.db);
  seeded = await seedConnections(db.db, KeyRing.parse(specA), CONNECTIONS);
  dataDir = await mkdtemp(join(tmpdir(), 'tokenlane-cli-keys-'));
  // No REDIS_URL: rotation needs the database only.
  env = {
    DATABASE_URL: database.url,
    TOKENLANE_ENCRYPTION_KEYS: `${specB},${specA}`,
    TOKENLANE_DATA_DIR: dataDir,
  };
}, 60_000);

afterAll(async () => {
  await db.close();
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('tokenlane keys rotate', () => {
  it('survives a SIGKILL mid-way and finishes on the next run; every token still decrypts', async () => {
    const first = startCli(['keys', 'rotate', '--batch-size', '10', '--pause-ms', '100'], env);
    await first.waitForStderr(new RegExp(`re-encrypting under "B": 0/${CONNECTIONS}`));
    // Kill only once at least one batch is committed, so the second run really resumes.
    while ((await countRowsNotUnderKey(db.db, 'B')) === CONNECTIONS) await sleep(20);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    const left = await countRowsNotUnderKey(db.db, 'B');
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(CONNECTIONS);

    const second = await runCli(['keys', 'rotate', '--json'], env);
    const summary = json(second) as RotationSummary;
    expect(summary).toMatchObject({
      primaryKid: 'B',
      total: left,
      rotated: left,
      remaining: 0,
      failed: [],
      interrupted: false,
    });
    expect(second.stderr).toBe('');

    const back = await readBack(
      db.db,
      KeyRing.parse(`${specB},${specA}`),
      seeded.map((s) => s.id),
    );
    expect([...back.kids]).toEqual(['B']);
    for (const connection of seeded)
      expect(back.plain.get(connection.id)).toEqual(connection.plain);
    // Not a token, not a ciphertext in anything it printed.
    const printed = killed.stdout + killed.stderr + second.stdout;
    expect(printed).not.toContain('v1.');
    for (const connection of seeded.slice(0, 50)) {
      for (const token of Object.values(connection.plain)) expect(printed).not.toContain(token);
    }
  });

  it('has nothing left to do afterwards, and keys status agrees', async () => {
    const [again, statusRun] = await Promise.all([
      runInProcess(['keys', 'rotate'], env),
      runInProcess(['keys', 'status', '--json'], env),
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('every connection is already under key "B"\n');
    const status = json(statusRun) as {
      kids: { kid: string; primary: boolean }[];
      connectionsToRotate: number;
    };
    expect(status.connectionsToRotate).toBe(0);
    expect(status.kids.map((k) => [k.kid, k.primary])).toEqual([['B', true]]);
  });

  it('fails (1) and names the rows when a ciphertext is under a key it does not have', async () => {
    const result = await runInProcess(['keys', 'rotate'], {
      ...env,
      TOKENLANE_ENCRYPTION_KEYS: KeyRing.generateSpec('C'),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`failed: ${seeded[0]!.id} (unknown_key)`);
    expect(result.stderr).toContain(`${CONNECTIONS} connection(s) still hold ciphertexts`);
  });
});

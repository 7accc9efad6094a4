import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startLocalRedis } from '@tokenlane/queue';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres } from './local-postgres.js';
import { dumpDatabase } from './run-artifacts.js';
import { RUN_DIR_ENV, type SecretKind } from './secret-ledger.js';
import { describeFailure, runSecretScan, summarize } from './secret-scan-run.js';

const SUMMARY_FILE = fileURLToPath(new URL('../artifacts/secret-scan.txt', import.meta.url));

/**
 * What a whole `npm test` run records at least: about half of the measured run (2286 secrets:
 * 682 access tokens, 681 refresh tokens, 378 codes, 375 verifiers, 22 client secrets, …).
 * Fewer means a peer stopped writing to the ledger, and a scan for nothing would pass.
 */
const FULL_RUN_MINIMUMS: Partial<Record<SecretKind, number>> = {
  access_token: 300,
  refresh_token: 300,
  id_token: 40,
  authorization_code: 150,
  pkce_verifier: 150,
  oauth1_access_token: 2,
  oauth1_token_secret: 4,
  oauth1_verifier: 2,
  pin: 1,
  client_secret: 10,
  webhook_secret: 3,
  api_key: 2,
  encryption_key: 10,
};

/**
 * Starts one real Redis and one real Postgres for the whole run on free ports, unless the
 * caller points the tests at its own with REDIS_URL / DATABASE_URL. Test files read the
 * addresses from TOKENLANE_TEST_REDIS_URL / TOKENLANE_TEST_DATABASE_URL (see harness.ts).
 *
 * It also creates the run directory (TOKENLANE_TEST_RUN_DIR) where peers record every secret
 * they issue or receive and tokenlane processes leave their logs, metrics and database dumps;
 * the teardown scans it and the whole Redis for those secrets before stopping anything, and
 * fails the run on a hit (secret-scan-run.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = await mkdtemp(join(tmpdir(), 'tokenlane-run-'));
  process.env[RUN_DIR_ENV] = runDir;
  const stops: (() => Promise<void>)[] = [];

  if (process.env.REDIS_URL) {
    process.env.TOKENLANE_TEST_REDIS_URL = process.env.REDIS_URL;
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'tokenlane-redis-'));
    const redis = await startLocalRedis({ dataDir });
    process.env.TOKENLANE_TEST_REDIS_URL = redis.url;
    stops.push(async () => {
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
  }

  if (process.env.DATABASE_URL) {
    process.env.TOKENLANE_TEST_DATABASE_URL = process.env.DATABASE_URL;
  } else {
    const postgres = await startLocalPostgres(await freePort());
    process.env.TOKENLANE_TEST_DATABASE_URL = postgres.url;
    stops.push(() => postgres.stop());
  }

  return async () => {
    try {
      await scanAfterRun(project, runDir);
    } finally {
      for (const stop of stops.reverse()) await stop();
    }
  };
}

async function scanAfterRun(project: TestProject, runDir: string): Promise<void> {
  await dumpLeftoverDatabases(process.env.TOKENLANE_TEST_DATABASE_URL ?? '');
  const wholeSuite = await ranWholeSuite(project);
  const report = await runSecretScan({
    runDir,
    redisUrl: process.env.TOKENLANE_TEST_REDIS_URL ?? '',
    ...(wholeSuite ? { minimums: FULL_RUN_MINIMUMS } : {}),
  });
  const line = summarize(report);
  console.log(`\n${line} (${wholeSuite ? 'whole suite' : 'part of the suite'})`);
  if (wholeSuite) {
    // The measured counts docs/reliability.md quotes; a partial run leaves the file alone.
    await mkdir(join(SUMMARY_FILE, '..'), { recursive: true });
    await writeFile(SUMMARY_FILE, `${new Date().toISOString()}\n${line}\n`);
  }
  if (report.hits.length > 0 || report.problems.length > 0) {
    // vitest 4 logs an error thrown by a global teardown but still exits 0: set the code too.
    process.exitCode = 1;
    throw new Error(describeFailure(report, runDir));
  }
  if (process.env.TOKENLANE_KEEP_RUN_DIR !== '1') {
    await rm(runDir, { recursive: true, force: true });
  }
}

/** Whether every test file of the project ran (then the ledger minimums apply). */
async function ranWholeSuite(project: TestProject): Promise<boolean> {
  const all = (await project.globTestFiles()).testFiles;
  const ran = new Set(project.vitest.state.getFiles().map((file) => file.filepath));
  return all.length > 0 && all.every((file) => ran.has(file));
}

/** Test databases a file did not drop (it failed before its afterAll): dumped for the scan. */
async function dumpLeftoverDatabases(adminUrl: string): Promise<void> {
  if (adminUrl === '') return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let names: string[];
  try {
    const result = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'tl\\_%'`,
    );
    names = result.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
  for (const name of names) {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await dumpDatabase(url.toString(), `leftover-${name}`);
  }
}

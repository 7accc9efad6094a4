import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dumpAndCheckDatabase } from './run-artifacts.js';

/** Redis started by the global setup (or REDIS_URL). Isolate with {@link uniquePrefix}. */
export function testRedisUrl(): string {
  return required('TOKENLANE_TEST_REDIS_URL');
}

/** A queue/key prefix no other test file uses, so tests can share one Redis. */
export function uniquePrefix(label = 'test'): string {
  return `tl-${label}-${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the test Postgres; `drop()` removes it at the end of the file,
 * after dumping it for the run's secret scan and checking it against the secret ledger as of
 * then (Postgres holds only ciphertext): a plaintext secret fails the drop, after the drop.
 */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const adminUrl = required('TOKENLANE_TEST_DATABASE_URL');
  const name = `tl_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      let problem: string | undefined;
      try {
        problem = await dumpAndCheckDatabase(url.toString(), name);
      } finally {
        await withAdmin(adminUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
        );
      }
      if (problem !== undefined) throw new Error(problem);
    },
  };
}

async function withAdmin(
  url: string,
  work: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through vitest's global setup`);
  return value;
}

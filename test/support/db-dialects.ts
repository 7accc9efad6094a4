import { randomUUID } from 'node:crypto';
import { newConnectionId, newLinkSessionId } from '@tokenlane/core';
import type { Ciphertext } from '@tokenlane/vault';
import {
  createDatabase,
  migrateToLatest,
  type DatabaseHandle,
  type DatabaseKind,
  type NewConnection,
  type NewLinkSession,
  type RefreshedTokens,
} from '@tokenlane/db';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase } from './harness.js';

/** An open test database and how to get rid of it. */
export interface TestDatabaseHandle extends DatabaseHandle {
  /** Opens another handle on the same database (Postgres only: PGlite is one process). */
  reopen?: () => Promise<DatabaseHandle>;
  /** Closes the handle and drops the database. */
  dispose(): Promise<void>;
}

/** One of the two dialects every repository test runs on. */
export interface TestDialect {
  readonly kind: DatabaseKind;
  /** A fresh, empty database. */
  open(label: string): Promise<TestDatabaseHandle>;
}

const postgres: TestDialect = {
  kind: 'postgres',
  async open(label) {
    const database = await createTestDatabase(label);
    const handle = await createDatabase({ url: database.url });
    return {
      ...handle,
      reopen: () => createDatabase({ url: database.url }),
      dispose: async () => {
        await handle.close();
        await database.drop();
      },
    };
  },
};

const pglite: TestDialect = {
  kind: 'pglite',
  async open() {
    const handle = await createDatabase({ dataDir: 'memory://' });
    return { ...handle, dispose: () => handle.close() };
  },
};

/** For `describe.each`: real Postgres and embedded PGlite. */
export const TEST_DIALECTS: readonly TestDialect[] = [postgres, pglite];

/** A fresh database with the schema applied. */
export async function openMigrated(
  dialect: TestDialect,
  label: string,
): Promise<TestDatabaseHandle> {
  const handle = await dialect.open(label);
  await migrateToLatest(handle.db);
  return handle;
}

/**
 * For a `describe` block: {@link openMigrated} before its tests, disposed of after them. Read
 * `db` inside the tests (it is there once `beforeAll` has run).
 */
export function migratedPerSuite(
  dialect: TestDialect,
  label: string,
): Pick<TestDatabaseHandle, 'db'> {
  let handle: TestDatabaseHandle | undefined;
  beforeAll(async () => {
    handle = await openMigrated(dialect, label);
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  return {
    get db() {
      if (handle === undefined) throw new Error(`the ${label} database opens in beforeAll`);
      return handle.db;
    },
  };
}

/** A stand-in ciphertext under key `kid` (the db package never decrypts). */
export function fakeCiphertext(kid = 'k1', body = randomUUID()): Ciphertext {
  return `v1.${kid}.iv.${body}` as Ciphertext;
}

/** An active connection for a user no other test uses. */
export function connectionInput(overrides: Partial<NewConnection> = {}): NewConnection {
  return {
    id: newConnectionId(),
    userId: `user-${randomUUID()}`,
    provider: 'fitbit',
    providerUserId: `fb-${randomUUID()}`,
    status: 'active',
    accessTokenEnc: fakeCiphertext(),
    refreshTokenEnc: fakeCiphertext(),
    ...overrides,
  };
}

/** A pending redirect link session expiring in 15 minutes. */
export function linkSessionInput(overrides: Partial<NewLinkSession> = {}): NewLinkSession {
  return {
    id: newLinkSessionId(),
    provider: 'fitbit',
    userId: `user-${randomUUID()}`,
    method: 'redirect',
    stateHash: randomUUID().replaceAll('-', ''),
    expiresAt: new Date(Date.now() + 15 * 60_000),
    ...overrides,
  };
}

/** What a refresh stores, with stand-in ciphertexts and no expiry. */
export function refreshedTokens(overrides: Partial<RefreshedTokens> = {}): RefreshedTokens {
  return {
    accessTokenEnc: fakeCiphertext(),
    refreshTokenEnc: fakeCiphertext(),
    tokenType: 'Bearer',
    expiresAt: null,
    refreshTokenExpiresAt: null,
    refreshDueAt: null,
    refreshedAt: new Date(),
    ...overrides,
  };
}

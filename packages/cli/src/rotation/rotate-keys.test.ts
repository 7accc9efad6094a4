import { newConnectionId, newLinkSessionId } from '@tokenlane/core';
import {
  createDatabase,
  insertConnection,
  insertLinkSession,
  migrateToLatest,
  type DatabaseHandle,
} from '@tokenlane/db';
import { KeyRing, Secret, type Ciphertext } from '@tokenlane/vault';
import type { KyselyPlugin, PluginTransformResultArgs, QueryResult, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tokenlane/test-support';
import { readBack, seedConnections, type SeededConnection } from '../test-support/connections.js';
import { countCiphertextsByKid, countRowsNotUnderKey } from './key-queries.js';
import { rotateKeys } from './rotate-keys.js';

const specA = KeyRing.generateSpec('A');
const specB = KeyRing.generateSpec('B');
const ringA = KeyRing.parse(specA);
const ringBA = KeyRing.parse(`${specB},${specA}`);

let database: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase('cli_rotate');
  handle = await createDatabase({ url: database.url });
  await migrateToLatest(handle.db);
});

afterAll(async () => {
  await handle.close();
  await database.drop();
});

/** How many ciphertexts these connections hold. */
const count = (seeded: readonly SeededConnection[]) =>
  seeded.reduce((n, s) => n + Object.keys(s.plain).length, 0);

/** A fresh table for each test: rotation works on every row there is. */
async function emptyTable(): Promise<void> {
  await handle.db.deleteFrom('connections').execute();
}

describe('rotateKeys', () => {
  it('moves every ciphertext to the primary key, keeping every plaintext', async () => {
    await emptyTable();
    const seeded = await seedConnections(handle.db, ringA, 40);
    const already = await seedConnections(handle.db, ringBA, 5, 'current');
    const progress: [number, number][] = [];
    const summary = await rotateKeys({
      db: handle.db,
      keyRing: ringBA,
      batchSize: 7,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(summary).toMatchObject({ total: 40, rotated: 40, remaining: 0, interrupted: false });
    expect(summary.ciphertexts).toBe(count(seeded));
    expect(progress.at(0)).toEqual([0, 40]);
    expect(progress.at(-1)).toEqual([40, 40]);
    const back = await readBack(
      handle.db,
      ringBA,
      [...seeded, ...already].map((s) => s.id),
    );
    expect([...back.kids]).toEqual(['B']);
    for (const s of [...seeded, ...already]) expect(back.plain.get(s.id)).toEqual(s.plain);
    expect(await countCiphertextsByKid(handle.db)).toEqual([
      { kid: 'B', ciphertexts: summary.ciphertexts + count(already) },
    ]);
  });

  it('stops between batches when aborted, and a second run finishes the job', async () => {
    await emptyTable();
    const seeded = await seedConnections(handle.db, ringA, 30);
    const controller = new AbortController();
    const first = await rotateKeys({
      db: handle.db,
      keyRing: ringBA,
      batchSize: 10,
      signal: controller.signal,
      onProgress: (done) => {
        if (done > 0) controller.abort();
      },
    });
    expect(first).toMatchObject({ rotated: 10, remaining: 20, interrupted: true });
    const second = await rotateKeys({ db: handle.db, keyRing: ringBA, batchSize: 10 });
    expect(second).toMatchObject({ total: 20, rotated: 20, remaining: 0 });
    const back = await readBack(
      handle.db,
      ringBA,
      seeded.map((s) => s.id),
    );
    expect([...back.kids]).toEqual(['B']);
  });

  it('lets a concurrent token write win and picks the row up on the next pass', async () => {
    await emptyTable();
    const seeded = await seedConnections(handle.db, ringA, 12);
    const racing = seeded[3]!.id;
    let raced = false;
    // Bumps one row's version right after rotation read it, as a refresh would.
    const racer: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (
        args: PluginTransformResultArgs,
      ): Promise<QueryResult<UnknownRow>> => {
        if (!raced && args.result.rows.some((row) => row.id === racing && 'token_version' in row)) {
          raced = true;
          await handle.db
            .updateTable('connections')
            .set((eb) => ({ token_version: eb('token_version', '+', 1) }))
            .where('id', '=', racing)
            .execute();
        }
        return args.result;
      },
    };
    const summary = await rotateKeys({
      db: handle.db.withPlugin(racer),
      keyRing: ringBA,
      batchSize: 5,
    });
    expect(raced).toBe(true);
    expect(summary).toMatchObject({ rotated: 12, lostRaces: 1, passes: 2, remaining: 0 });
  });

  it('reports rows it cannot decrypt and rotates the rest', async () => {
    await emptyTable();
    const seeded = await seedConnections(handle.db, ringA, 6);
    const orphan = newConnectionId();
    const ringC = KeyRing.parse(KeyRing.generateSpec('C'));
    await insertConnection(handle.db, {
      id: orphan,
      userId: 'orphan',
      provider: 'fitbit',
      status: 'active',
      accessTokenEnc: ringC.encrypt('x', {
        table: 'connections',
        rowId: orphan,
        field: 'access_token',
      }),
    });
    const swapped = seeded[0]!.id;
    const other = (
      await handle.db
        .selectFrom('connections')
        .select('access_token_enc')
        .where('id', '=', seeded[1]!.id)
        .executeTakeFirstOrThrow()
    ).access_token_enc as Ciphertext;
    // A ciphertext copied from another row must not decrypt here (AAD binds the row).
    await handle.db
      .updateTable('connections')
      .set({ access_token_enc: other })
      .where('id', '=', swapped)
      .execute();
    const summary = await rotateKeys({ db: handle.db, keyRing: ringBA, batchSize: 4 });
    expect(summary.rotated).toBe(5);
    expect(summary.remaining).toBe(2);
    expect(new Map(summary.failed.map((f) => [f.connectionId, f.code]))).toEqual(
      new Map([
        [orphan, 'unknown_key'],
        [swapped, 'decrypt_failed'],
      ]),
    );
    expect(await countRowsNotUnderKey(handle.db, 'B')).toBe(2);
  });

  it('does nothing on a table already under the primary key', async () => {
    await emptyTable();
    await seedConnections(handle.db, ringBA, 3);
    const summary = await rotateKeys({ db: handle.db, keyRing: ringBA, batchSize: 200 });
    expect(summary).toMatchObject({ total: 0, rotated: 0, remaining: 0, passes: 1 });
  });
});

describe('rotateKeys on link sessions', () => {
  it('re-encrypts every link-session ciphertext, bound to its row and field', async () => {
    await emptyTable();
    await handle.db.deleteFrom('link_sessions').execute();
    const fields = [
      ['code_verifier_enc', 'code_verifier'],
      ['request_token_secret_enc', 'request_token'],
      ['link_url_enc', 'link_url'],
      ['authorize_url_enc', 'authorize_url'],
    ] as const;
    const ids = Array.from({ length: 12 }, () => newLinkSessionId());
    for (const [i, id] of ids.entries()) {
      const seal = (field: string) =>
        ringA.encrypt(new Secret(`${field}-${String(i)}`), {
          table: 'link_sessions',
          rowId: id,
          field,
        });
      await insertLinkSession(handle.db, {
        id,
        provider: 'acme',
        userId: `u-${String(i)}`,
        method: 'redirect',
        stateHash: `state-hash-${String(i)}`,
        expiresAt: new Date(Date.now() + 600_000),
        codeVerifierEnc: seal('code_verifier'),
        requestTokenSecretEnc: seal('request_token'),
        linkUrlEnc: seal('link_url'),
        authorizeUrlEnc: seal('authorize_url'),
      });
    }
    const summary = await rotateKeys({ db: handle.db, keyRing: ringBA, batchSize: 5 });
    expect(summary.linkSessions).toEqual({ rotated: 12, failed: 0, remaining: 0 });
    const rows = await handle.db.selectFrom('link_sessions').selectAll().orderBy('id').execute();
    for (const row of rows) {
      const i = ids.indexOf(row.id);
      for (const [column, field] of fields) {
        const value = row[column] as Ciphertext;
        expect(value.startsWith('v1.B.')).toBe(true);
        const context = { table: 'link_sessions', rowId: row.id, field };
        expect(ringBA.decrypt(value, context)).toBe(`${field}-${String(i)}`);
      }
    }
    expect(await countCiphertextsByKid(handle.db)).toEqual([{ kid: 'B', ciphertexts: 48 }]);
  });
});

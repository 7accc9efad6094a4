import { describe, expect, it } from 'vitest';
import { findConnection, insertConnection, updateConnection } from './connections.js';
import { listEvents } from './events.js';
import { storeRefreshedTokens, type RefreshedTokens } from './refresh-write.js';
import {
  connectionInput,
  fakeCiphertext,
  migratedPerSuite,
  refreshedTokens,
  TEST_DIALECTS,
} from '@tokenlane/test-support';
import { transitionConnection } from './transition.js';

describe.each(TEST_DIALECTS)('storeRefreshedTokens on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'refresh_write');

  const store = async (
    connection: Parameters<typeof storeRefreshedTokens>[1][number]['connection'],
    written: RefreshedTokens = refreshedTokens(),
  ) => (await storeRefreshedTokens(handle.db, [{ connection, tokens: written }]))[0];

  const refreshedEvents = async (connectionId: string) =>
    (await listEvents(handle.db, { limit: 1000 })).filter(
      (event) => event.connectionId === connectionId && event.type === 'connection.refreshed',
    );

  it('lets one compare-and-set win with its event; the stale writer writes neither', async () => {
    const connection = await insertConnection(handle.db, connectionInput());
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    const winnerToken = fakeCiphertext();
    const won = await store(
      connection,
      refreshedTokens({ accessTokenEnc: winnerToken, expiresAt }),
    );
    expect(won?.tokenVersion).toBe(connection.tokenVersion + 1);
    const lost = await store(connection);
    expect(lost).toBeUndefined();

    expect(await findConnection(handle.db, connection.id)).toMatchObject({
      accessTokenEnc: winnerToken,
      tokenVersion: connection.tokenVersion + 1,
      expiresAt,
      status: 'active',
    });
    const events = await refreshedEvents(connection.id);
    expect(events.map((event) => [event.id, event.userId, event.provider, event.data])).toEqual([
      [
        won?.eventId,
        connection.userId,
        connection.provider,
        {
          connectionId: connection.id,
          userId: connection.userId,
          provider: connection.provider,
          status: 'active',
          expiresAt: expiresAt.toISOString(),
        },
      ],
    ]);
  });

  it('keeps who asked and how long the provider took in the event, and a null expiry', async () => {
    const connection = await insertConnection(handle.db, connectionInput());
    const [written] = await storeRefreshedTokens(handle.db, [
      {
        connection,
        tokens: refreshedTokens({ expiresAt: null }),
        attempt: { trigger: 'token_request', durationMs: 231 },
      },
    ]);
    expect(written).toBeDefined();
    expect((await refreshedEvents(connection.id)).map((event) => event.data)).toEqual([
      {
        connectionId: connection.id,
        userId: connection.userId,
        provider: connection.provider,
        status: 'active',
        expiresAt: null,
        trigger: 'token_request',
        durationMs: 231,
      },
    ]);
  });

  it('brings a degraded connection back to active', async () => {
    const connection = await insertConnection(handle.db, connectionInput());
    const degraded = await handle.db.transaction().execute((trx) =>
      transitionConnection(
        trx,
        connection.id,
        'degraded',
        {},
        {
          type: 'connection.degraded',
          data: {},
        },
      ),
    );
    const written = await store(degraded.connection);
    expect(written).toBeDefined();
    expect((await findConnection(handle.db, connection.id))?.status).toBe('active');
    expect(await refreshedEvents(connection.id)).toHaveLength(1);
  });

  it('never re-arms a connection revoked while its refresh was in flight', async () => {
    const connection = await insertConnection(handle.db, connectionInput());
    // A revocation that changed only the status (the version is unchanged on purpose).
    await handle.db.transaction().execute((trx) =>
      transitionConnection(
        trx,
        connection.id,
        'revoked',
        {},
        {
          type: 'connection.revoked',
          data: {},
        },
      ),
    );
    const written = await store(connection);
    expect(written).toBeUndefined();
    const row = await findConnection(handle.db, connection.id);
    expect(row).toMatchObject({ status: 'revoked', tokenVersion: connection.tokenVersion });
    expect(row?.accessTokenEnc).toBe(connection.accessTokenEnc);
    expect(await refreshedEvents(connection.id)).toHaveLength(0);
  });

  it('a write that only notes an error does not move the version the refresh compares', async () => {
    const connection = await insertConnection(handle.db, connectionInput());
    await updateConnection(handle.db, connection.id, { lastErrorCode: 'provider_unavailable' });
    const written = await store(connection);
    expect(written?.tokenVersion).toBe(connection.tokenVersion + 1);
    expect((await findConnection(handle.db, connection.id))?.lastErrorCode).toBeNull();
  });

  it('stores a batch in one statement: each row on its own version, in request order', async () => {
    const rows = await Promise.all(
      [0, 1, 2].map(() => insertConnection(handle.db, connectionInput())),
    );
    const [fresh, stale, kept] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    // `stale` was refreshed by someone else since it was read.
    await store(stale);
    const scopes = ['read', 'write'];
    const results = await storeRefreshedTokens(handle.db, [
      { connection: fresh, tokens: refreshedTokens({ scopes }) },
      { connection: stale, tokens: refreshedTokens() },
      { connection: kept, tokens: refreshedTokens({ refreshTokenEnc: null }) },
    ]);
    expect(results.map((result) => result?.tokenVersion)).toEqual([
      fresh.tokenVersion + 1,
      undefined,
      kept.tokenVersion + 1,
    ]);
    expect((await findConnection(handle.db, fresh.id))?.scopes).toEqual(scopes);
    // No scopes in the answer: the granted ones stay.
    expect(await findConnection(handle.db, kept.id)).toMatchObject({
      scopes: kept.scopes,
      refreshTokenEnc: null,
    });
    expect(await refreshedEvents(stale.id)).toHaveLength(1);
    expect(await refreshedEvents(fresh.id)).toHaveLength(1);
  });

  it('two requests for one row in a batch: exactly one wins', async () => {
    const connection = await insertConnection(handle.db, connectionInput());
    const results = await storeRefreshedTokens(handle.db, [
      { connection, tokens: refreshedTokens() },
      { connection, tokens: refreshedTokens() },
    ]);
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    expect(await refreshedEvents(connection.id)).toHaveLength(1);
    expect((await findConnection(handle.db, connection.id))?.tokenVersion).toBe(
      connection.tokenVersion + 1,
    );
  });
});

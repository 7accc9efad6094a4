import type { ConnectionStatus } from '@tokenlane/core';
import { CONNECTION_STATUSES, canTransition, newConnectionId } from '@tokenlane/core';
import { describe, expect, it } from 'vitest';
import { findConnection, insertConnection } from './connections.js';
import { findEvent } from './events.js';
import {
  connectionInput,
  fakeCiphertext,
  migratedPerSuite,
  TEST_DIALECTS,
} from '@tokenlane/test-support';
import { TransitionError, transitionConnection } from './transition.js';

describe.each(TEST_DIALECTS)('transitionConnection on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'transition');

  const pairs = CONNECTION_STATUSES.flatMap((from) =>
    CONNECTION_STATUSES.map((to): [ConnectionStatus, ConnectionStatus] => [from, to]),
  );

  it('enforces the transition table', async () => {
    for (const [from, to] of pairs) {
      const { id } = await insertConnection(handle.db, connectionInput({ status: from }));
      const attempt = handle.db
        .transaction()
        .execute((trx) =>
          transitionConnection(trx, id, to, {}, { type: 'connection.refreshed', data: {} }),
        );
      if (canTransition(from, to)) {
        expect((await attempt).connection.status, `${from} → ${to}`).toBe(to);
      } else {
        await expect(attempt, `${from} → ${to}`).rejects.toMatchObject({
          name: 'TransitionError',
          code: 'invalid_transition',
          from,
          to,
        });
        expect((await findConnection(handle.db, id))?.status).toBe(from);
      }
    }
  });

  it('writes the row and its event together', async () => {
    const { id, userId } = await insertConnection(handle.db, connectionInput());
    const revokedAt = new Date();
    const { connection, event } = await handle.db
      .transaction()
      .execute((trx) =>
        transitionConnection(
          trx,
          id,
          'revoked',
          { accessTokenEnc: null, refreshTokenEnc: null, revokedAt },
          { type: 'connection.revoked', data: { reason: 'user', status: 'spoofed' } },
        ),
      );
    expect(connection).toMatchObject({ status: 'revoked', accessTokenEnc: null, revokedAt });
    expect(connection.tokenVersion).toBe(1);
    expect(await findEvent(handle.db, event.id)).toMatchObject({
      type: 'connection.revoked',
      connectionId: id,
      userId,
      provider: 'fitbit',
      data: { reason: 'user', status: 'revoked', connectionId: id, userId, provider: 'fitbit' },
    });
  });

  it('leaves neither row nor event when the transaction rolls back', async () => {
    const { id } = await insertConnection(handle.db, connectionInput({ status: 'degraded' }));
    const failure = new Error('boom after the write');
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await transitionConnection(
          trx,
          id,
          'active',
          { accessTokenEnc: fakeCiphertext() },
          { type: 'connection.refreshed', data: {} },
        );
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await findConnection(handle.db, id)).toMatchObject({
      status: 'degraded',
      tokenVersion: 0,
    });
    const events = await handle.db
      .selectFrom('events')
      .select('id')
      .where('connection_id', '=', id)
      .execute();
    expect(events).toEqual([]);
  });

  it('refuses an unknown connection and a call outside a transaction', async () => {
    const event = { type: 'connection.revoked', data: {} } as const;
    await expect(
      handle.db
        .transaction()
        .execute((trx) => transitionConnection(trx, newConnectionId(), 'revoked', {}, event)),
    ).rejects.toBeInstanceOf(TransitionError);
    const { id } = await insertConnection(handle.db, connectionInput());
    await expect(transitionConnection(handle.db, id, 'revoked', {}, event)).rejects.toThrow(
      /inside a transaction/,
    );
  });
});

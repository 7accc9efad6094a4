import { setTimeout as sleep } from 'node:timers/promises';
import type { LinkSessionId } from '@tokenlane/core';
import { describe, expect, it } from 'vitest';
import { insertConnection } from './connections.js';
import {
  consumeRequestToken,
  consumeState,
  deleteExpiredLinkSessions,
  findLinkSession,
  insertLinkSession,
  updateLinkSession,
} from './link-sessions.js';
import {
  connectionInput,
  fakeCiphertext,
  linkSessionInput,
  migratedPerSuite,
  TEST_DIALECTS,
} from '@tokenlane/test-support';

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe.each(TEST_DIALECTS)('link sessions on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'link_sessions');

  it('round-trips a session', async () => {
    const { id: connectionId } = await insertConnection(handle.db, connectionInput());
    const input = linkSessionInput({
      connectionId,
      scopes: ['heartrate'],
      codeVerifierEnc: fakeCiphertext(),
      returnUrl: 'https://app.example/done',
    });
    const inserted = await insertLinkSession(handle.db, input);
    expect(inserted).toMatchObject({
      id: input.id,
      connectionId,
      scopes: ['heartrate'],
      status: 'pending',
      callbackAt: null,
      expiresAt: input.expiresAt,
    });
    expect(await findLinkSession(handle.db, input.id)).toEqual(inserted);
    expect(await findLinkSession(handle.db, 'nope' as LinkSessionId)).toBeUndefined();
  });

  it('consumes a state once', async () => {
    const session = await insertLinkSession(handle.db, linkSessionInput());
    const now = new Date();
    const first = await consumeState(handle.db, session.stateHash, 'fitbit', now);
    expect(first).toMatchObject({ id: session.id, callbackAt: now });
    expect(await consumeState(handle.db, session.stateHash, 'fitbit', new Date())).toBeUndefined();
  });

  it('rejects an expired, unknown or cross-provider state and changes nothing', async () => {
    const expired = await insertLinkSession(
      handle.db,
      linkSessionInput({ expiresAt: minutes(-1) }),
    );
    expect(await consumeState(handle.db, expired.stateHash, 'fitbit', new Date())).toBeUndefined();
    const live = await insertLinkSession(handle.db, linkSessionInput());
    expect(await consumeState(handle.db, live.stateHash, 'oura', new Date())).toBeUndefined();
    expect(await consumeState(handle.db, 'f'.repeat(64), 'fitbit', new Date())).toBeUndefined();
    expect((await findLinkSession(handle.db, expired.id))?.callbackAt).toBeNull();
    expect((await findLinkSession(handle.db, live.id))?.callbackAt).toBeNull();
  });

  it('rejects a state whose session is no longer pending', async () => {
    const session = await insertLinkSession(handle.db, linkSessionInput());
    await updateLinkSession(handle.db, session.id, { status: 'failed', errorCode: 'denied' });
    expect(await consumeState(handle.db, session.stateHash, 'fitbit', new Date())).toBeUndefined();
  });

  it('consumes an OAuth 1.0a request token once', async () => {
    const session = await insertLinkSession(
      handle.db,
      linkSessionInput({
        requestTokenHash: `rt-${dialect.kind}`,
        requestTokenSecretEnc: fakeCiphertext(),
      }),
    );
    const now = new Date();
    expect((await consumeRequestToken(handle.db, `rt-${dialect.kind}`, now))?.id).toBe(session.id);
    expect(await consumeRequestToken(handle.db, `rt-${dialect.kind}`, now)).toBeUndefined();
  });

  it('updates a session and its completion', async () => {
    const session = await insertLinkSession(handle.db, linkSessionInput());
    const { id: resultConnectionId } = await insertConnection(handle.db, connectionInput());
    const completedAt = new Date();
    const updated = await updateLinkSession(handle.db, session.id, {
      status: 'completed',
      resultConnectionId,
      completedAt,
      codeEnc: null,
    });
    expect(updated).toMatchObject({ status: 'completed', resultConnectionId, completedAt });
    expect(await updateLinkSession(handle.db, session.id, {})).toEqual(updated);
  });

  it('deletes expired sessions only', async () => {
    const old = await insertLinkSession(handle.db, linkSessionInput({ expiresAt: minutes(-600) }));
    const fresh = await insertLinkSession(handle.db, linkSessionInput());
    expect(await deleteExpiredLinkSessions(handle.db, minutes(-60))).toBe(1);
    expect(await findLinkSession(handle.db, old.id)).toBeUndefined();
    expect(await findLinkSession(handle.db, fresh.id)).toBeDefined();
    expect(await deleteExpiredLinkSessions(handle.db, minutes(-60))).toBe(0);
  });
});

describe('concurrent callbacks on postgres', () => {
  const handle = migratedPerSuite(TEST_DIALECTS[0]!, 'link_race');

  it('gives a state to exactly one of many parallel callbacks', async () => {
    const session = await insertLinkSession(handle.db, linkSessionInput());
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        consumeState(handle.db, session.stateHash, 'fitbit', new Date()),
      ),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });

  it('makes a callback blocked behind an uncommitted consume lose once it commits', async () => {
    const session = await insertLinkSession(handle.db, linkSessionInput());
    let second: Promise<unknown> | undefined;
    const first = await handle.db.transaction().execute(async (trx) => {
      const won = await consumeState(trx, session.stateHash, 'fitbit', new Date());
      second = consumeState(handle.db, session.stateHash, 'fitbit', new Date());
      await sleep(200); // let the second UPDATE reach the row lock
      return won;
    });
    expect(first?.id).toBe(session.id);
    expect(await second).toBeUndefined();
  });
});

import { newConnectionId, type ConnectionId } from '@tokenlane/core';
import { findConnection, insertConnection } from '@tokenlane/db';
import { noticeRefreshTokenExpiry, refreshConnection, sealTokenSet } from '@tokenlane/lifecycle';
import { Secret } from '@tokenlane/vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime, type TestRuntime } from '../support/runtime.js';

const DAY = 86_400_000;
let opened: TestRuntime;

beforeAll(async () => {
  opened = await openTestRuntime({
    label: 'refresh-token-expiry',
    env: { TOKENLANE_EXPIRING_NOTICE_DAYS: '7' },
    providers: {
      // Nothing listens there: a call would fail with `network`, never with reauth_required.
      acme: {
        kind: 'oauth2',
        authorizationUrl: 'http://127.0.0.1:9/auth',
        tokenUrl: 'http://127.0.0.1:9/token',
        clientId: 'acme',
        clientSecret: 'acme-secret-expiry-51f2',
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await opened.dispose();
});

async function seed(refreshExpiresInMs: number): Promise<ConnectionId> {
  const id = newConnectionId();
  const { runtime } = opened;
  await insertConnection(runtime.db, {
    id,
    userId: `u-${id.slice(0, 8)}`,
    provider: 'acme',
    status: 'active',
    ...sealTokenSet(runtime.keyRing, id, {
      // Made-up values: no provider issued them, and none is ever sent anywhere.
      accessToken: new Secret(`at-${id}`),
      refreshToken: new Secret(`rt-${id}`),
      tokenType: 'Bearer',
      expiresAt: new Date(Date.now() - 60_000),
      refreshTokenExpiresAt: new Date(Date.now() + refreshExpiresInMs),
      metadata: {},
    }),
    refreshDueAt: new Date(Date.now() - 1_000),
  });
  return id;
}

const eventsOf = (id: ConnectionId, type: 'connection.expiring' | 'connection.reauth_required') =>
  opened.runtime.db
    .selectFrom('events')
    .select('data')
    .where('connection_id', '=', id)
    .where('type', '=', type)
    .execute();

describe('refresh tokens that expire on their own', () => {
  it('announces an expiry within TOKENLANE_EXPIRING_NOTICE_DAYS once, and ends an expired one without a call', async () => {
    const soon = await seed(3 * DAY);
    const later = await seed(10 * DAY);
    const gone = await seed(-60_000);
    const first = await noticeRefreshTokenExpiry(opened.runtime);
    expect(first).toEqual({ expiring: 1, expired: 1 });
    const [notice] = await eventsOf(soon, 'connection.expiring');
    const expiresAt = (await findConnection(opened.runtime.db, soon))!.refreshTokenExpiresAt!;
    expect(notice?.data).toMatchObject({ expiresAt: expiresAt.toISOString(), provider: 'acme' });
    expect(JSON.stringify(notice?.data)).not.toMatch(/https?:/);
    expect(await eventsOf(later, 'connection.expiring')).toEqual([]);
    expect(await findConnection(opened.runtime.db, gone)).toMatchObject({
      status: 'reauth_required',
      lastErrorCode: 'refresh_token_expired',
    });
    // Announced once per expiry: the next sweeps add nothing.
    expect(await noticeRefreshTokenExpiry(opened.runtime)).toEqual({ expiring: 0, expired: 0 });
    expect(await eventsOf(soon, 'connection.expiring')).toHaveLength(1);
  });

  it('a refresh of a connection whose refresh token has expired ends in reauth_required, no call', async () => {
    const id = await seed(-1_000);
    const outcome = await refreshConnection(opened.runtime, id, { trigger: 'api' });
    expect(outcome).toEqual({ status: 'reauth_required', code: 'refresh_token_expired' });
    const [event] = await eventsOf(id, 'connection.reauth_required');
    expect(event?.data).toMatchObject({ code: 'refresh_token_expired' });
  });
});

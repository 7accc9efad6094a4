import { newConnectionId, type ConnectionId, type ConnectionStatus } from '@tokenlane/core';
import { appendEvent, insertConnection } from '@tokenlane/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, expectErrorBody, openTestApp, type TestApp } from './test-support/runtime.js';
import type { ConnectionView, EventView } from './views.js';

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const SECRETS = ['access-token-plain', 'refresh-token-plain', 'token-secret-plain'];

describe('connection and event routes', () => {
  let t: TestApp;
  const ids: ConnectionId[] = [];
  const ciphertexts: string[] = [];

  async function insert(userId: string, provider: string, status: ConnectionStatus) {
    const id = newConnectionId();
    const seal = (value: string, field: string) =>
      t.runtime.keyRing.encrypt(value, { table: 'connections', rowId: id, field });
    const [accessTokenEnc, refreshTokenEnc, tokenSecretEnc] = [
      seal('access-token-plain', 'access_token'),
      seal('refresh-token-plain', 'refresh_token'),
      seal('token-secret-plain', 'token_secret'),
    ];
    ciphertexts.push(accessTokenEnc, refreshTokenEnc, tokenSecretEnc);
    await insertConnection(t.runtime.db, {
      id,
      userId,
      provider,
      status,
      providerUserId: `${provider}-${userId}`,
      accessTokenEnc,
      refreshTokenEnc,
      tokenSecretEnc,
      tokenType: 'Bearer',
      scopes: ['activity'],
      expiresAt: new Date('2030-01-01T00:00:00.000Z'),
    });
    ids.push(id);
    return id;
  }

  async function get<T>(url: string): Promise<T> {
    const response = await t.app.inject({ method: 'GET', url, headers: AUTH });
    expect(response.statusCode, url).toBe(200);
    return response.json<T>();
  }

  beforeAll(async () => {
    t = await openTestApp('ingress_connections');
    // Sequential, so created_at order is insertion order.
    await insert('user-a', 'fitbit', 'active');
    await insert('user-a', 'oura', 'reauth_required');
    await insert('user-b', 'fitbit', 'active');
    await insert('user-b', 'whoop', 'revoked');
    await insert('user-c', 'fitbit', 'degraded');
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('shows a connection without tokens or ciphertexts', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/v1/connections/${ids[0]!}`,
      headers: AUTH,
    });
    expect(response.statusCode).toBe(200);
    const view = response.json<ConnectionView>();
    expect(Object.keys(view).sort()).toEqual(
      [
        'id',
        'userId',
        'provider',
        'providerUserId',
        'status',
        'scopes',
        'expiresAt',
        'refreshDueAt',
        'lastRefreshedAt',
        'lastErrorCode',
        'refreshAttempts',
        'createdAt',
        'updatedAt',
        'revokedAt',
        'migration',
        'identityPendingSince',
      ].sort(),
    );
    expect(view).toMatchObject({
      id: ids[0],
      userId: 'user-a',
      provider: 'fitbit',
      status: 'active',
      scopes: ['activity'],
      expiresAt: '2030-01-01T00:00:00.000Z',
      refreshAttempts: 0,
    });
    expect(response.body).not.toMatch(/Enc|token_?version|tokenType/i);
    for (const value of [...SECRETS, ...ciphertexts]) expect(response.body).not.toContain(value);
  });

  it('answers 404 not_found for unknown and malformed ids', async () => {
    for (const id of [newConnectionId(), 'not-a-uuid', ids[0]!.toUpperCase(), '%20']) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/v1/connections/${id}`,
        headers: AUTH,
      });
      expectErrorBody(response, 404, 'not_found');
    }
  });

  it('pages through every connection, oldest first', async () => {
    const seen: string[] = [];
    let url = '/v1/connections?limit=2';
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await get<Page<ConnectionView>>(url);
      seen.push(...page.data.map((c) => c.id));
      if (page.nextCursor === null) break;
      expect(page.data).toHaveLength(2);
      url = `/v1/connections?limit=2&after=${page.nextCursor}`;
    }
    expect(seen).toEqual(ids);
    const all = await get<Page<ConnectionView>>('/v1/connections?limit=5');
    expect(all.data).toHaveLength(5);
    expect(all.nextCursor).toBeNull();
    const body = JSON.stringify(all);
    for (const value of [...SECRETS, ...ciphertexts]) expect(body).not.toContain(value);
  });

  it('filters by user, provider and status', async () => {
    const byUser = await get<Page<ConnectionView>>('/v1/connections?userId=user-a');
    expect(byUser.data.map((c) => c.id)).toEqual([ids[0], ids[1]]);
    const byProvider = await get<Page<ConnectionView>>('/v1/connections?provider=fitbit');
    expect(byProvider.data.map((c) => c.id)).toEqual([ids[0], ids[2], ids[4]]);
    const combined = await get<Page<ConnectionView>>(
      '/v1/connections?provider=fitbit&status=active&userId=user-b',
    );
    expect(combined.data.map((c) => c.id)).toEqual([ids[2]]);
    const none = await get<Page<ConnectionView>>('/v1/connections?userId=nobody');
    expect(none).toEqual({ data: [], nextCursor: null });
  });

  it('refuses bad list parameters with 400 invalid_request', async () => {
    for (const query of ['limit=0', 'limit=201', 'limit=x', 'status=gone', 'after=123']) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/v1/connections?${query}`,
        headers: AUTH,
      });
      expect(response.statusCode, query).toBe(400);
      const { error } = response.json<{ error: { code: string; message: string } }>();
      expect(error.code).toBe('invalid_request');
      expect(error.message).toMatch(/^Invalid querystring\.(limit|status|after)/);
    }
  });

  it('pages through events oldest first', async () => {
    for (const [i, id] of ids.entries()) {
      await appendEvent(t.runtime.db, {
        type: 'connection.created',
        connectionId: id,
        userId: `user-${i}`,
        provider: 'fitbit',
        data: { status: 'active', n: i },
      });
    }
    const seen: EventView[] = [];
    let url = '/v1/events?limit=2';
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await get<Page<EventView>>(url);
      seen.push(...page.data);
      if (page.nextCursor === null) break;
      url = `/v1/events?limit=2&after=${page.nextCursor}`;
    }
    expect(seen.map((e) => e.connectionId)).toEqual(ids);
    expect(seen[0]).toMatchObject({
      type: 'connection.created',
      userId: 'user-0',
      provider: 'fitbit',
      linkId: null,
      data: { status: 'active', n: 0 },
    });
    const after = await get<Page<EventView>>(`/v1/events?after=${seen[2]!.cursor}`);
    expect(after.data.map((e) => e.id)).toEqual(seen.slice(3).map((e) => e.id));
    expect(after.nextCursor).toBeNull();
    const end = await get<Page<EventView>>(`/v1/events?after=${seen.at(-1)!.cursor}`);
    expect(end).toEqual({ data: [], nextCursor: null });
  });

  it('lists providers without secrets', async () => {
    const { data } = await get<{ data: Record<string, unknown>[] }>('/v1/providers');
    expect(data.map((p) => p['id'])).toContain('fitbit');
    for (const provider of data) {
      expect(Object.keys(provider)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/secret|client/i)]),
      );
    }
  });

  it('is ready, and not ready once Redis is gone (503 with the checks)', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ok',
      checks: { redis: true, database: true, migrations: true },
    });
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({
      status: 'ok',
    });
    t.runtime.redis.disconnect();
    const down = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'unavailable', checks: { redis: false } });
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

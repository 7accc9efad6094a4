import type { ConnectionId } from '@tokenlane/core';
import {
  connectionInput,
  migratedPerSuite,
  openMigrated,
  TEST_DIALECTS,
  type TestDatabaseHandle,
} from '@tokenlane/test-support';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countConnectionsByProviderAndStatus,
  dueConnectionsQuery,
  findByIdentity,
  findByProviderUser,
  findConnection,
  findDueRefreshes,
  insertConnection,
  listConnections,
  updateConnection,
} from './connections.js';

describe.each(TEST_DIALECTS)('connections on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'connections');

  it('round-trips every column, jsonb included', async () => {
    const expiresAt = new Date('2030-01-02T03:04:05.678Z');
    const metadata = { nested: { list: [1, 'two', null, true] }, emoji: 'ü✓' };
    const input = connectionInput({
      scopes: ['activity', 'sleep'],
      metadata,
      expiresAt,
      tokenType: 'Bearer',
    });
    const inserted = await insertConnection(handle.db, input);
    const found = await findConnection(handle.db, input.id);
    expect(found).toEqual(inserted);
    expect(found).toMatchObject({
      id: input.id,
      scopes: ['activity', 'sleep'],
      metadata,
      expiresAt,
      tokenVersion: 0,
      refreshAttempts: 0,
      revocationConfirmed: null,
    });
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(await findConnection(handle.db, 'not-a-uuid' as ConnectionId)).toBeUndefined();
  });

  it('keeps one connection per identity, a null provider user id included', async () => {
    const first = connectionInput({ providerUserId: null });
    await insertConnection(handle.db, first);
    await expect(
      insertConnection(handle.db, connectionInput({ userId: first.userId, providerUserId: null })),
    ).rejects.toThrow(/connections_identity_key/);
    await insertConnection(handle.db, connectionInput({ providerUserId: null }));
    expect((await findByIdentity(handle.db, first.userId, 'fitbit', null))?.id).toBe(first.id);
    expect(await findByIdentity(handle.db, first.userId, 'fitbit', 'someone')).toBeUndefined();
  });

  it('finds every connection to one provider account', async () => {
    const a = await insertConnection(handle.db, connectionInput({ providerUserId: 'shared-1' }));
    const b = await insertConnection(handle.db, connectionInput({ providerUserId: 'shared-1' }));
    const found = await findByProviderUser(handle.db, 'fitbit', 'shared-1');
    expect(found.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('bumps the version on any token write, not on other updates', async () => {
    const { id } = await insertConnection(handle.db, connectionInput());
    const noted = await updateConnection(handle.db, id, { lastErrorCode: 'timeout' });
    expect(noted?.tokenVersion).toBe(0);
    expect(noted?.updatedAt.getTime()).toBeGreaterThanOrEqual(noted!.createdAt.getTime());
    const wiped = await updateConnection(handle.db, id, {
      accessTokenEnc: null,
      refreshTokenEnc: null,
    });
    expect(wiped).toMatchObject({ tokenVersion: 1, accessTokenEnc: null, refreshTokenEnc: null });
  });

  it('pages with a keyset cursor and filters', async () => {
    const userId = `pager-${dialect.kind}`;
    const ids: ConnectionId[] = [];
    for (const [index, provider] of ['oura', 'whoop', 'oura', 'polar', 'oura'].entries()) {
      const input = connectionInput({
        userId,
        provider,
        providerUserId: `p${index}`,
        status: index === 4 ? 'revoked' : 'active',
      });
      ids.push((await insertConnection(handle.db, input)).id);
    }
    const seen: ConnectionId[] = [];
    let after: ConnectionId | undefined;
    for (;;) {
      const page = await listConnections(handle.db, { userId, after, limit: 2 });
      seen.push(...page.map((c) => c.id));
      if (page.length < 2) break;
      after = page.at(-1)!.id;
    }
    // Rows inserted within one clock tick (PGlite) tie on created_at and order by id: the
    // pages must match one unpaged read, and hold every row once.
    const all = await listConnections(handle.db, { userId, limit: 10 });
    expect(seen).toEqual(all.map((c) => c.id));
    expect([...seen].sort()).toEqual([...ids].sort());
    const oura = await listConnections(handle.db, { userId, provider: 'oura', limit: 10 });
    expect(oura.map((c) => c.id).sort()).toEqual([ids[0], ids[2], ids[4]].sort());
    const activeOura = await listConnections(handle.db, {
      userId,
      provider: 'oura',
      status: 'active',
      limit: 10,
    });
    expect(activeOura.map((c) => c.id).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it('finds due refreshable connections, most overdue first', async () => {
    const at = (iso: string) => new Date(iso);
    const due = async (status: 'active' | 'degraded' | 'reauth_required', when: string) =>
      (await insertConnection(handle.db, connectionInput({ status, refreshDueAt: at(when) }))).id;
    const later = await due('active', '2001-01-03T00:00:00Z');
    const first = await due('degraded', '2001-01-01T00:00:00Z');
    await due('reauth_required', '2001-01-02T00:00:00Z');
    await due('active', '2001-02-01T00:00:00Z');
    const found = await findDueRefreshes(handle.db, at('2001-01-10T00:00:00Z'), 10);
    expect(found.map((c) => c.id)).toEqual([first, later]);
    const one = await findDueRefreshes(handle.db, at('2001-01-10T00:00:00Z'), 1);
    expect(one.map((c) => c.id)).toEqual([first]);
  });

  it('counts connections by provider and status', async () => {
    for (const status of ['active', 'active', 'revoked'] as const) {
      await insertConnection(handle.db, connectionInput({ provider: 'counted', status }));
    }
    const counts = await countConnectionsByProviderAndStatus(handle.db);
    expect(counts.filter((c) => c.provider === 'counted')).toEqual([
      { provider: 'counted', status: 'active', count: 2 },
      { provider: 'counted', status: 'revoked', count: 1 },
    ]);
  });
});

describe.each(TEST_DIALECTS)('the sweeper query plan on $kind', (dialect) => {
  let handle: TestDatabaseHandle;
  beforeAll(async () => {
    handle = await openMigrated(dialect, 'sweeper_plan');
    // 5000 rows, 1 in 50 refreshable and due: the shape of a real table.
    await sql`insert into connections (id, user_id, provider, provider_user_id, status, refresh_due_at)
      select gen_random_uuid(), 'bulk-' || g, 'fitbit', 'p' || g,
        case when g % 50 = 0 then 'active' when g % 3 = 0 then 'reauth_required' else 'revoked' end,
        now() + (g % 600) * interval '1 second'
      from generate_series(1, 5000) as g`.execute(handle.db);
    await sql`analyze connections`.execute(handle.db);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  it('reads connections_refresh_due_idx', async () => {
    const plan = await dueConnectionsQuery(handle.db, new Date(Date.now() + 60_000), 100).explain();
    const text = plan.map((row) => Object.values(row).join('')).join('\n');
    expect(text).toContain('connections_refresh_due_idx');
  });
});

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertConnection, updateConnection } from './connections.js';
import {
  dueIdentityLookupsQuery,
  findDueIdentityLookups,
  findPendingIdentity,
} from './identity-pending.js';
import { migrateToLatest, migrateWith } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import {
  connectionInput,
  migratedPerSuite,
  openMigrated,
  TEST_DIALECTS,
  type TestDatabaseHandle,
} from '@tokenlane/test-support';

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe.each(TEST_DIALECTS)('pending identities on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'identity_pending');

  it('a connection starts with no pending identity', async () => {
    const row = await insertConnection(handle.db, connectionInput());
    expect(row).toMatchObject({
      identityPendingSince: null,
      identityAttempts: 0,
      identityNextLookupAt: null,
    });
  });

  it('finds the look-ups due by the time given, soonest first, of live connections only', async () => {
    const pending = (status: 'active' | 'degraded' | 'reauth_required' | 'revoked', at: Date) =>
      insertConnection(
        handle.db,
        connectionInput({
          provider: 'google-health-due',
          providerUserId: null,
          status,
          identityPendingSince: new Date(),
          identityAttempts: 1,
          identityNextLookupAt: at,
        }),
      );
    const later = await pending('active', minutes(2));
    const sooner = await pending('degraded', minutes(1));
    await pending('active', minutes(30));
    await pending('reauth_required', minutes(1));
    await pending('revoked', minutes(1));
    const due = (await findDueIdentityLookups(handle.db, minutes(5), 100)).filter(({ id }) =>
      [later.id, sooner.id].includes(id),
    );
    expect(due.map(({ id }) => id)).toEqual([sooner.id, later.id]);
    expect(due[0]?.nextLookupAt.getTime()).toBe(sooner.identityNextLookupAt?.getTime());
    const all = await findDueIdentityLookups(handle.db, minutes(5), 100);
    expect(all).toHaveLength(2);
  });

  it('finds the user’s one pending connection to a provider, not a revoked or a known one', async () => {
    const userId = 'user-pending-lookup';
    expect(await findPendingIdentity(handle.db, userId, 'google-health')).toBeUndefined();
    await insertConnection(handle.db, connectionInput({ userId, provider: 'google-health' }));
    const pending = await insertConnection(
      handle.db,
      connectionInput({
        userId,
        provider: 'google-health',
        providerUserId: null,
        identityPendingSince: new Date(),
      }),
    );
    expect((await findPendingIdentity(handle.db, userId, 'google-health'))?.id).toBe(pending.id);
    expect(await findPendingIdentity(handle.db, userId, 'whoop')).toBeUndefined();
    await sql`update connections set status = 'revoked' where id = ${pending.id}`.execute(
      handle.db,
    );
    expect(await findPendingIdentity(handle.db, userId, 'google-health')).toBeUndefined();
  });

  it('a patch writes and clears the pending identity', async () => {
    const row = await insertConnection(handle.db, connectionInput({ providerUserId: null }));
    const since = new Date('2026-12-06T10:00:00Z');
    const next = new Date('2026-12-06T10:01:00Z');
    const pending = await updateConnection(handle.db, row.id, {
      identityPendingSince: since,
      identityAttempts: 2,
      identityNextLookupAt: next,
    });
    expect(pending).toMatchObject({
      identityPendingSince: since,
      identityAttempts: 2,
      identityNextLookupAt: next,
    });
    const known = await updateConnection(handle.db, row.id, {
      providerUserId: 'h-1',
      identityPendingSince: null,
      identityAttempts: 0,
      identityNextLookupAt: null,
    });
    expect(known).toMatchObject({
      providerUserId: 'h-1',
      identityPendingSince: null,
      identityAttempts: 0,
      identityNextLookupAt: null,
    });
  });
});

describe.each(TEST_DIALECTS)('the pending-identity query plan on $kind', (dialect) => {
  let handle: TestDatabaseHandle;
  beforeAll(async () => {
    handle = await openMigrated(dialect, 'identity_plan');
    // 5000 rows, 1 in 500 pending: pending identities are rare.
    await sql`insert into connections (id, user_id, provider, provider_user_id, status,
        identity_pending_since, identity_next_lookup_at)
      select gen_random_uuid(), 'bulk-' || g, 'google-health',
        case when g % 500 = 0 then null else 'p' || g end,
        case when g % 3 = 0 then 'reauth_required' else 'active' end,
        case when g % 500 = 0 then now() end,
        case when g % 500 = 0 then now() + (g % 600) * interval '1 second' end
      from generate_series(1, 5000) as g`.execute(handle.db);
    await sql`analyze connections`.execute(handle.db);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  it('reads connections_identity_pending_idx', async () => {
    const plan = await dueIdentityLookupsQuery(handle.db, minutes(10), 100).explain();
    const text = plan.map((row) => Object.values(row).join('')).join('\n');
    expect(text).toContain('connections_identity_pending_idx');
  });
});

describe.each(TEST_DIALECTS)('0008_identity_pending on $kind', (dialect) => {
  it('asks again about earlier links whose look-up failed, clearing the sub google-health stored', async () => {
    const handle = await dialect.open('identity_pending_migration');
    try {
      const before = Object.fromEntries(
        Object.entries(MIGRATIONS).filter(([name]) => name < '0008'),
      );
      await migrateWith(handle.db, before);
      const insert = async (
        userId: string,
        provider: string,
        providerUserId: string | null,
        lookup: 'failed' | undefined,
      ) => {
        const id = randomUUID();
        const metadata = JSON.stringify(
          lookup === undefined ? {} : { identityLookup: lookup, identityLookupError: 'timeout' },
        );
        await sql`insert into connections (id, user_id, provider, provider_user_id, status, metadata)
          values (${id}, ${userId}, ${provider}, ${providerUserId}, 'active', ${metadata}::jsonb)`.execute(
          handle.db,
        );
        return id;
      };
      const withSub = await insert('u1', 'google-health', '110248495921238986420', 'failed');
      const known = await insert('u2', 'google-health', 'NGL8Q2x', undefined);
      const whoop = await insert('u3', 'whoop', null, 'failed');
      const other = await insert('u4', 'oura', null, 'failed');
      // u5 already has a google-health connection without a user id: the sub stays.
      await insert('u5', 'google-health', null, undefined);
      const kept = await insert('u5', 'google-health', '1099', 'failed');

      // From 0007 on: 0008 runs first (later migrations follow it).
      expect((await migrateToLatest(handle.db))[0]).toBe('0008_identity_pending');
      const rows = await sql<{
        id: string;
        provider_user_id: string | null;
        identity_pending_since: Date | null;
        identity_next_lookup_at: Date | null;
      }>`select id, provider_user_id, identity_pending_since, identity_next_lookup_at
        from connections`.execute(handle.db);
      const byId = new Map(rows.rows.map((row) => [row.id, row]));
      for (const id of [withSub, whoop]) {
        const row = byId.get(id)!;
        expect(row.provider_user_id).toBeNull();
        expect(row.identity_pending_since).not.toBeNull();
        expect(row.identity_next_lookup_at!.getTime()).toBeLessThanOrEqual(
          Date.now() + 10 * 60_000 + 5_000,
        );
      }
      for (const id of [known, other, kept]) {
        expect(byId.get(id)?.identity_pending_since).toBeNull();
      }
      expect(byId.get(kept)?.provider_user_id).toBe('1099');
      expect(byId.get(known)?.provider_user_id).toBe('NGL8Q2x');
    } finally {
      await handle.dispose();
    }
  });
});

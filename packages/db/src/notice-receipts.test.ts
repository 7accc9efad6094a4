import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { findConnection, insertConnection, updateConnection } from './connections.js';
import { appendEvent } from './events.js';
import { migrateToLatest, migrateWith } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import {
  connectionsNamedByNotice,
  noticeRevokesConnection,
  recordNoticeReceipts,
} from './notice-receipts.js';
import { connectionInput, migratedPerSuite, TEST_DIALECTS } from '@tokenlane/test-support';

const SKEW_MS = 60_000;
const at = (iso: string) => new Date(iso);
const digest = () => randomUUID().replaceAll('-', '').padEnd(64, '0');

describe.each(TEST_DIALECTS)('notice receipts on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'notice_receipts');

  it('records a notice once and counts it when it comes again, keeping its first times', async () => {
    const receipt = { digest: digest(), provider: 'acme', providerUserId: 'u-1', issuedAt: null };
    const [first] = await recordNoticeReceipts(handle.db, [receipt], SKEW_MS);
    expect(first).toMatchObject({ seenCount: 1, issuedAt: null });
    expect(first!.appliesBefore).toEqual(first!.firstSeenAt);
    const [again] = await recordNoticeReceipts(handle.db, [receipt], SKEW_MS);
    expect(again).toMatchObject({
      seenCount: 2,
      firstSeenAt: first!.firstSeenAt,
      appliesBefore: first!.appliesBefore,
    });
    expect(again!.lastSeenAt.getTime()).toBeGreaterThanOrEqual(first!.lastSeenAt.getTime());
    expect(await recordNoticeReceipts(handle.db, [], SKEW_MS)).toEqual([]);
  });

  it('applies a notice to links before its issue time plus the skew, never after first sight', async () => {
    const [old, future] = await recordNoticeReceipts(
      handle.db,
      [
        {
          digest: digest(),
          provider: 'acme',
          providerUserId: 'u-2',
          issuedAt: at('2020-01-01T00:00:00Z'),
        },
        {
          digest: digest(),
          provider: 'acme',
          providerUserId: 'u-3',
          issuedAt: at('2999-01-01T00:00:00Z'),
        },
      ],
      SKEW_MS,
    );
    expect(old!.appliesBefore).toEqual(at('2020-01-01T00:01:00Z'));
    // A time ahead of ours (a fast clock, or a forged field) is capped at first sight.
    expect(future!.appliesBefore).toEqual(future!.firstSeenAt);
  });

  it('tells which connections of the named accounts a notice revokes', async () => {
    const account = `acct-${randomUUID()}`;
    const before = await insertConnection(
      handle.db,
      connectionInput({
        provider: 'acme',
        providerUserId: account,
        linkedAt: at('2020-06-01T00:00:00Z'),
      }),
    );
    const relinked = await insertConnection(
      handle.db,
      connectionInput({
        provider: 'acme',
        providerUserId: account,
        linkedAt: at('2020-06-01T00:00:00Z'),
      }),
    );
    await updateConnection(handle.db, relinked.id, { linkedAt: at('2020-06-03T00:00:00Z') });
    // Another account and another provider's same account id are not named.
    await insertConnection(
      handle.db,
      connectionInput({ provider: 'acme', linkedAt: at('2020-01-01T00:00:00Z') }),
    );
    await insertConnection(
      handle.db,
      connectionInput({
        provider: 'other',
        providerUserId: account,
        linkedAt: at('2020-01-01T00:00:00Z'),
      }),
    );
    const notice = digest();
    await recordNoticeReceipts(
      handle.db,
      [
        {
          digest: notice,
          provider: 'acme',
          providerUserId: account,
          issuedAt: at('2020-06-02T00:00:00Z'),
        },
      ],
      SKEW_MS,
    );
    const named = await connectionsNamedByNotice(handle.db, 'acme', notice);
    expect(named.map((n) => [n.connection.id, n.noticeApplies])).toEqual([
      [before.id, true],
      [relinked.id, false],
    ]);
    expect(named[1]!.connection.linkedAt).toEqual(at('2020-06-03T00:00:00Z'));
    expect(await connectionsNamedByNotice(handle.db, 'acme', digest())).toEqual([]);
  });

  it('re-checks a connection against every recorded notice of its account', async () => {
    const account = `acct-${randomUUID()}`;
    const { id } = await insertConnection(
      handle.db,
      connectionInput({
        provider: 'acme',
        providerUserId: account,
        linkedAt: at('2021-01-01T00:00:00Z'),
      }),
    );
    expect(await noticeRevokesConnection(handle.db, id)).toBe(false);
    const notice = { digest: digest(), provider: 'acme', providerUserId: account, issuedAt: null };
    await recordNoticeReceipts(handle.db, [notice], SKEW_MS);
    expect(await noticeRevokesConnection(handle.db, id)).toBe(true);
    // A re-link stamps the database clock: the notice is now about an earlier link.
    await updateConnection(handle.db, id, { linkedAt: 'now' });
    expect(await noticeRevokesConnection(handle.db, id)).toBe(false);
    const linkedAt = (await findConnection(handle.db, id))!.linkedAt;
    expect(linkedAt.getTime()).toBeGreaterThan(at('2021-01-01T00:00:00Z').getTime());
    // The same notice again changes nothing; a new one does.
    await recordNoticeReceipts(handle.db, [notice], SKEW_MS);
    expect(await noticeRevokesConnection(handle.db, id)).toBe(false);
    await recordNoticeReceipts(handle.db, [{ ...notice, digest: digest() }], SKEW_MS);
    expect(await noticeRevokesConnection(handle.db, id)).toBe(true);
  });

  it('stamps linked_at on insert by default', async () => {
    const { rows } = await sql<{ now: Date }>`select now() as now`.execute(handle.db);
    const inserted = await insertConnection(handle.db, connectionInput());
    expect(inserted.linkedAt.getTime()).toBeGreaterThanOrEqual(rows[0]!.now.getTime());
  });
});

describe.each(TEST_DIALECTS)('0002_notice_replay on $kind', (dialect) => {
  it('backfills linked_at from the last connection.created event, else created_at', async () => {
    const handle = await dialect.open('notice_replay_migration');
    try {
      await migrateWith(handle.db, { '0001_initial': MIGRATIONS['0001_initial']! });
      const insert = async (id: string) =>
        sql`insert into connections (id, user_id, provider, provider_user_id, status, created_at)
          values (${id}, ${`user-${id}`}, 'acme', ${id}, 'active', '2020-01-01T00:00:00Z')`.execute(
          handle.db,
        );
      const relinked = randomUUID();
      const untouched = randomUUID();
      await insert(relinked);
      await insert(untouched);
      for (const when of ['2020-01-01T00:00:01Z', '2020-03-01T00:00:00Z']) {
        const event = await appendEvent(handle.db, {
          type: 'connection.created',
          connectionId: relinked as never,
          data: {},
        });
        await sql`update events set created_at = ${when} where id = ${event.id}`.execute(handle.db);
      }
      await appendEvent(handle.db, {
        type: 'connection.refreshed',
        connectionId: relinked as never,
        data: {},
      });
      expect(await migrateToLatest(handle.db)).toContain('0002_notice_replay');
      const { rows } = await sql<{ id: string; linked_at: Date }>`
        select id, linked_at from connections order by linked_at`.execute(handle.db);
      expect(rows).toEqual([
        { id: untouched, linked_at: at('2020-01-01T00:00:00Z') },
        { id: relinked, linked_at: at('2020-03-01T00:00:00Z') },
      ]);
    } finally {
      await handle.dispose();
    }
  });
});

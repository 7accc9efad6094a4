import { newLinkSessionId, type LinkSessionId } from '@tokenlane/core';
import { appendEvent, recordNoticeReceipts } from '@tokenlane/db';
import { RETENTION_BATCH, runRetention } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * Retention (issue 17): the `retention` job deletes expired link sessions (never one still
 * exchanging), delivered events past TOKENLANE_EVENT_RETENTION_DAYS (undelivered ones stay),
 * and notice receipts past their use, in batches.
 */
let world: SecurityWorld;

beforeAll(async () => {
  world = await openSecurityWorld({
    TOKENLANE_EVENT_RETENTION_DAYS: '30',
    // A webhook is configured: undelivered events are still owed to it.
    TOKENLANE_WEBHOOK_URL: 'http://127.0.0.1:9/hooks',
    TOKENLANE_WEBHOOK_SECRET: 'retention-webhook-secret-0123456789',
  });
}, 60_000);

afterAll(async () => {
  await world.close();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ago = (ms: number) => new Date(Date.now() - ms);

async function seedSession(label: string, expiresAt: Date, status: string): Promise<LinkSessionId> {
  const id = newLinkSessionId();
  await world.rt.db
    .insertInto('link_sessions')
    .values({
      id,
      provider: 'acme',
      user_id: label,
      method: 'redirect',
      state_hash: `retention-${label}`,
      expires_at: expiresAt,
      status: status as 'pending',
      code_verifier_enc: null,
    })
    .execute();
  return id;
}

async function seedEvents(count: number, createdAt: Date, delivered: boolean): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await appendEvent(world.rt.db, { type: 'connection.refreshed', data: { expiresAt: null } });
  }
  // Back-dated: the rows just written are the ones created in the last minute. `created_at`
  // is never written by the code (the schema says so); the test forces it.
  await world.rt.db
    .updateTable('events')
    .set({ created_at: createdAt, delivered_at: delivered ? createdAt : null } as never)
    .where('type', '=', 'connection.refreshed')
    .where('created_at', '>', ago(MINUTE))
    .execute();
}

describe('the retention job', () => {
  it('deletes only what nobody needs, in batches', async () => {
    const gone = [
      await seedSession('expired-2h', ago(120 * MINUTE), 'pending'),
      await seedSession('failed-2h', ago(120 * MINUTE), 'failed'),
      await seedSession('stuck-2d', ago(2 * DAY), 'exchanging'),
    ];
    const kept = [
      await seedSession('live', new Date(Date.now() + 10 * MINUTE), 'pending'),
      await seedSession('expired-10m', ago(10 * MINUTE), 'pending'),
      await seedSession('exchanging-2h', ago(120 * MINUTE), 'exchanging'),
    ];
    await seedEvents(RETENTION_BATCH * 2 + 17, ago(40 * DAY), true);
    await seedEvents(3, ago(40 * DAY), false);
    await seedEvents(4, ago(10 * DAY), true);
    const receipt = (digest: string, issuedAt: Date | null) => ({
      digest,
      provider: 'acme',
      providerUserId: 'someone',
      issuedAt,
    });
    await recordNoticeReceipts(
      world.rt.db,
      [
        receipt('timed-old', ago(3 * DAY)),
        receipt('untimed-old', null),
        receipt('timed-new', ago(MINUTE)),
      ],
      60_000,
    );
    await world.rt.db
      .updateTable('notice_receipts')
      .set({ last_seen_at: ago(2 * DAY) })
      .where('digest', 'in', ['timed-old', 'untimed-old'])
      .execute();

    const result = await runRetention(world.rt);
    expect(result).toEqual({
      linkSessions: 3,
      events: RETENTION_BATCH * 2 + 17,
      noticeReceipts: 1,
    });
    const sessions = await world.rt.db.selectFrom('link_sessions').select('id').execute();
    const left = sessions.map((row) => row.id);
    for (const id of gone) expect(left).not.toContain(id);
    for (const id of kept) expect(left).toContain(id);
    const events = await world.rt.db
      .selectFrom('events')
      .select(['delivered_at'])
      .where('type', '=', 'connection.refreshed')
      .execute();
    expect(events.filter((e) => e.delivered_at === null)).toHaveLength(3);
    expect(events).toHaveLength(3 + 4);
    const receipts = await world.rt.db.selectFrom('notice_receipts').select('digest').execute();
    expect(receipts.map((r) => r.digest).sort()).toEqual(['timed-new', 'untimed-old']);
    // A second run finds nothing more.
    expect(await runRetention(world.rt)).toEqual({ linkSessions: 0, events: 0, noticeReceipts: 0 });
  }, 60_000);
});

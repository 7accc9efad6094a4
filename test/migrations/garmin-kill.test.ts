import type { ConnectionId } from '@tokenlane/core';
import { findConnections } from '@tokenlane/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGarminPeer, type GarminExchangeMode, type GarminPeer } from '../peers/garmin-peer.js';
import { startStack, type Stack } from '../support/stack.js';
import {
  expectCountsAddUp,
  itemOf,
  seedOAuth1Connection,
  waitForMigration,
  type MigrationBody,
} from './support.js';

/** Garmin's exchange, as the providers file limits it: the brake of the whole run. */
const RATE = { requests: 10, perSeconds: 1 };
/** Each answer is slow, so a wave of exchanges is in flight when the worker dies. */
const EXCHANGE_DELAY_MS = 1_500;

/**
 * A migration killed mid-flight, against a peer whose exchange is `mode`: `connections`
 * Garmin users, a worker killed with `kill -9` once 40 have moved, a new worker started.
 * Every exchange the killed worker had in flight is sent again by the new one.
 */
function killedMigration(mode: GarminExchangeMode, connections: number) {
  let peer: GarminPeer;
  let stack: Stack;

  beforeAll(async () => {
    peer = await startGarminPeer({ exchange: mode });
    stack = await startStack({
      env: { TOKENLANE_SWEEP_INTERVAL_MS: '1000' },
      providers: () => {
        const entries = peer.entries();
        return { ...entries, garmin: { ...entries.garmin, rateLimit: RATE } };
      },
    });
  }, 90_000);

  afterAll(async () => {
    await stack.stop();
    await peer.close();
  });

  return async () => {
    const users = new Map<ConnectionId, string>();
    for (let i = 0; i < connections; i += 1) {
      const garminUser = `garmin-k${i}`;
      const grant = peer.grantOAuth1(garminUser);
      const id = await seedOAuth1Connection(stack, {
        userId: `k${i}`,
        providerUserId: garminUser,
        token: grant.token,
        secret: grant.secret,
      });
      users.set(id, garminUser);
    }
    peer.setExchangeDelay(EXCHANGE_DELAY_MS);
    const startedAt = Date.now();
    const started = await stack.api('POST', '/v1/migrations', {
      from: 'garmin',
      to: 'garmin-oauth2',
    });
    expect(started.status).toBe(202);
    const id = (started.body as MigrationBody).id;
    const beforeKill = await waitForMigration(stack, id, (v) => v.counts.migrated >= 40, 60_000);
    const killedAt = Date.now();
    const workers = stack.services.filter((service) => service.name === 'worker');
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    const sentBeforeKill = peer.exchangeRequests();
    await stack.startWorker();
    const done = await waitForMigration(stack, id, (v) => v.status === 'completed', 180_000);
    const finishedAt = Date.now();

    expectCountsAddUp(done);
    expect(done.counts.total).toBe(connections);
    expect(done.counts).toMatchObject({ pending: 0, failed: 0, skipped: 0, awaitingConsent: 0 });
    expect(done.counts.migrated + done.counts.reauthRequired).toBe(connections);

    const rows = await findConnections(stack.db.db, [...users.keys()]);
    let interrupted = 0;
    let answeredTwice = 0;
    for (const row of rows) {
      const garminUser = users.get(row.id)!;
      const exchanges = peer.exchanges(garminUser);
      // One answer, or two where the first one was lost with the killed worker.
      expect(exchanges).toBeGreaterThanOrEqual(1);
      expect(exchanges).toBeLessThanOrEqual(mode === 'repeatable' ? 2 : 1);
      if (exchanges === 2) answeredTwice += 1;
      if (row.provider === 'garmin-oauth2') {
        expect(row).toMatchObject({
          status: 'active',
          tokenSecretEnc: null,
          providerUserId: garminUser,
        });
        const token = await stack.api('GET', `/v1/connections/${row.id}/token`);
        expect(token.status).toBe(200);
        expect(peer.userOfAccessToken((token.body as { accessToken: string }).accessToken)).toBe(
          garminUser,
        );
      } else {
        // Only a provider that refuses the repeated exchange ends a user: the answer to an
        // exchange the killed worker sent was lost, and the spent token is refused on the retry.
        expect(row).toMatchObject({
          provider: 'garmin',
          status: 'reauth_required',
          lastErrorCode: 'provider_migration',
        });
        expect(await itemOf(stack, id, row.id)).toMatchObject({
          outcome: 'reauth_required',
          detail: 'exchange_interrupted',
        });
        interrupted += 1;
      }
    }
    expect(interrupted).toBe(done.counts.reauthRequired);
    // In flight at the kill: at most one rate window's worth plus the delay's.
    expect(interrupted + answeredTwice).toBeLessThanOrEqual(RATE.requests * 3);
    if (mode === 'repeatable') {
      // Sent again, answered again: no user lost.
      expect(done.counts.reauthRequired).toBe(0);
      expect(done.counts.migrated).toBe(connections);
    }

    // The rate limit held across both workers: never more than the limit per second, give or
    // take requests that took a slot at the end of one window and arrived in the next.
    const times = peer.exchangeTimes();
    const perSecond = new Map<number, number>();
    for (const time of times) {
      const second = Math.floor(time / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    // The limit is a fixed window in Redis: slots taken late in one window can arrive, on a
    // loaded machine, in the next second with that window's own: at most twice the limit.
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(RATE.requests * 2);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(
      ((connections + interrupted) / RATE.requests - 2) * 1000,
    );
    console.log(
      `garmin migration of ${connections} against a ${mode} exchange (rate ${RATE.requests}/s, ${EXCHANGE_DELAY_MS} ms per exchange): ` +
        `${beforeKill.counts.migrated} migrated ${killedAt - startedAt} ms before the kill -9, ` +
        `${sentBeforeKill} exchanges sent by then; all settled ${finishedAt - killedAt} ms after it; ` +
        `${done.counts.migrated} migrated, ${answeredTwice} exchanged twice (first answer lost), ` +
        `${interrupted} lost (reauth_required, exchange_interrupted), ` +
        `${times.length} exchange requests in all, ${(connections / ((finishedAt - startedAt) / 1000)).toFixed(1)} connections/s overall`,
    );
  };
}

describe('a Garmin migration survives kill -9 of its worker', () => {
  describe('against a repeatable exchange (OAuth 1.0a tokens stay valid after it)', () => {
    it(
      'loses no user: every exchange in flight at the kill is sent again and answered',
      killedMigration('repeatable', 200),
      300_000,
    );
  });
  describe('against a single-use exchange (the strictest reading)', () => {
    it(
      'ends the users whose answer was lost as exchange_interrupted, and counts them',
      killedMigration('single-use', 100),
      300_000,
    );
  });
});

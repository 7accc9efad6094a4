import type { ConnectionId } from '@tokenlane/core';
import { findConnections } from '@tokenlane/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGarminPeer, type GarminPeer } from '../peers/garmin-peer.js';
import { startStack, type Stack } from '../support/stack.js';
import {
  expectCountsAddUp,
  itemOf,
  seedOAuth1Connection,
  waitForMigration,
  type MigrationBody,
} from './support.js';

const CONNECTIONS = 200;
/** Garmin's exchange, as the providers file limits it: the brake of the whole run. */
const RATE = { requests: 10, perSeconds: 1 };
/** Each answer is slow, so a wave of exchanges is in flight when the worker dies. */
const EXCHANGE_DELAY_MS = 1_500;

let peer: GarminPeer;
let stack: Stack;

beforeAll(async () => {
  peer = await startGarminPeer();
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

describe('a Garmin migration of 200 connections survives kill -9 of its worker', () => {
  it('ends with every connection on garmin-oauth2 with working tokens, or precisely reported', async () => {
    const users = new Map<ConnectionId, string>();
    for (let i = 0; i < CONNECTIONS; i += 1) {
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
    expect(done.counts.total).toBe(CONNECTIONS);
    expect(done.counts).toMatchObject({ pending: 0, failed: 0, skipped: 0, awaitingConsent: 0 });
    expect(done.counts.migrated + done.counts.reauthRequired).toBe(CONNECTIONS);

    const rows = await findConnections(stack.db.db, [...users.keys()]);
    let interrupted = 0;
    for (const row of rows) {
      const garminUser = users.get(row.id)!;
      // Never two exchanges for one user: the provider answers once per OAuth 1.0a token.
      expect(peer.exchanges(garminUser)).toBe(1);
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
        // Precisely reported: the answer to an exchange the killed worker sent was lost, and
        // the spent token is refused on the retry.
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
    expect(interrupted).toBeLessThanOrEqual(RATE.requests * 3);

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
      ((CONNECTIONS + interrupted) / RATE.requests - 2) * 1000,
    );
    console.log(
      `garmin migration of ${CONNECTIONS} (rate ${RATE.requests}/s, ${EXCHANGE_DELAY_MS} ms per exchange): ` +
        `${beforeKill.counts.migrated} migrated ${killedAt - startedAt} ms before the kill -9, ` +
        `${sentBeforeKill} exchanges sent by then; all settled ${finishedAt - killedAt} ms after it; ` +
        `${done.counts.migrated} migrated, ${interrupted} reauth_required (exchange_interrupted), ` +
        `${times.length} exchange requests in all, ${(CONNECTIONS / ((finishedAt - startedAt) / 1000)).toFixed(1)} connections/s overall`,
    );
  }, 300_000);
});

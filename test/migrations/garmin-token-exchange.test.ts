import { randomBytes } from 'node:crypto';
import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGarminPeer, type GarminPeer } from '../peers/garmin-peer.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { recordSecret } from '../support/secret-ledger.js';
import { startStack, type Stack } from '../support/stack.js';
import { providerUrlOf } from '../support/link-browser.js';
import {
  eventsOf,
  expectCountsAddUp,
  itemOf,
  seedOAuth1Connection,
  waitForMigration,
  type MigrationBody,
} from './support.js';

const WEBHOOK_SECRET = `garmin-intake-${randomBytes(12).toString('hex')}`;
recordSecret('webhook_secret', WEBHOOK_SECRET, 'garmin-token-exchange.test');

const BUDGET = 1_000;

let peer: GarminPeer;
let stack: Stack;

beforeAll(async () => {
  peer = await startGarminPeer();
  stack = await startStack({
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '500' },
    providers: () => {
      const entries = peer.entries({ webhookSecret: WEBHOOK_SECRET });
      // garmin declares no windows: its exchanges draw from its successor's, as refreshes do.
      const budget = { rateLimits: [{ requests: BUDGET, perSeconds: 86_400 }] };
      return { ...entries, 'garmin-oauth2': { ...entries['garmin-oauth2'], ...budget } };
    },
  });
}, 90_000);

afterAll(async () => {
  await stack.stop();
  await peer.close();
});

async function seed(user: string): Promise<ConnectionId> {
  const grant = peer.grantOAuth1(`garmin-${user}`);
  return seedOAuth1Connection(stack, {
    userId: user,
    providerUserId: `garmin-${user}`,
    token: grant.token,
    secret: grant.secret,
  });
}

describe('Garmin OAuth 1.0a → garmin-oauth2 by token exchange, through ingress and worker', () => {
  let ok: ConnectionId;
  let gone: ConnectionId;
  let migrationId: string;

  beforeAll(async () => {
    ok = await seed('u-ok');
    gone = await seed('u-gone');
    // The user revoked access at Garmin: their OAuth 1.0a token no longer exchanges.
    peer.revokeOAuth1('garmin-u-gone');
  });

  it('refuses a `to` that is not the successor, and a token exchange where there is none', async () => {
    const wrong = await stack.api('POST', '/v1/migrations', { from: 'garmin', to: 'fitbit' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: 'invalid_request' } });
    const mode = await stack.api('POST', '/v1/migrations', {
      from: 'fitbit',
      to: 'google-health',
      mode: 'token_exchange',
    });
    expect(mode.status).toBe(400);
  });

  it('a dry run reports what would happen and changes nothing', async () => {
    const started = await stack.api('POST', '/v1/migrations', {
      from: 'garmin',
      to: 'garmin-oauth2',
      dryRun: true,
    });
    expect(started.status).toBe(202);
    const view = started.body as MigrationBody;
    expect(view).toMatchObject({
      mode: 'token_exchange',
      status: 'completed',
      dryRun: true,
      counts: { total: 2, migrated: 2, pending: 0 },
    });
    expectCountsAddUp(view);
    for (const id of [ok, gone]) {
      const row = (await findConnection(stack.db.db, id))!;
      expect(row).toMatchObject({ provider: 'garmin', status: 'active' });
      expect(row.tokenSecretEnc).not.toBeNull();
    }
    expect(peer.exchangeRequests()).toBe(0);
    expect(await eventsOf(stack, 'connection.migrated')).toEqual([]);
  });

  it('moves each connection (same id) to garmin-oauth2, or to reauth_required when its grant is gone', async () => {
    const started = await stack.api('POST', '/v1/migrations', {
      from: 'garmin',
      to: 'garmin-oauth2',
    });
    expect(started.status).toBe(202);
    migrationId = (started.body as MigrationBody).id;
    const view = await waitForMigration(
      stack,
      migrationId,
      (v) => v.status === 'completed',
      30_000,
    );
    expect(view.counts).toEqual({
      total: 2,
      pending: 0,
      migrated: 1,
      awaitingConsent: 0,
      reauthRequired: 1,
      failed: 0,
      skipped: 0,
    });
    expect(view.finishedAt).not.toBeNull();
    // Every exchange sent drew one call from the budget, which GET /v1/providers shows.
    const listed = await stack.api('GET', '/v1/providers');
    const { data } = listed.body as { data: { id: string; rateLimits: { remaining: number }[] }[] };
    const left = data.find((provider) => provider.id === 'garmin-oauth2')!.rateLimits[0]!.remaining;
    expect(peer.exchangeRequests()).toBeGreaterThanOrEqual(2);
    expect(left).toBe(BUDGET - peer.exchangeRequests());

    const migrated = (await findConnection(stack.db.db, ok))!;
    expect(migrated).toMatchObject({
      id: ok,
      provider: 'garmin-oauth2',
      status: 'active',
      providerUserId: 'garmin-u-ok',
      tokenSecretEnc: null,
      tokenType: 'Bearer',
    });
    expect(migrated.refreshDueAt).not.toBeNull();
    expect(migrated.refreshTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    // The token API serves the new OAuth 2.0 token, which the provider knows as this user's.
    const token = await stack.api('GET', `/v1/connections/${ok}/token`);
    expect(token.status).toBe(200);
    const { accessToken } = token.body as { accessToken: string };
    expect(peer.userOfAccessToken(accessToken)).toBe('garmin-u-ok');
    expect(peer.exchanges('garmin-u-ok')).toBe(1);
    // The new grant refreshes at garmin-oauth2 (rotating refresh tokens, client_secret in the form).
    const version = migrated.tokenVersion;
    expect((await stack.api('POST', `/v1/connections/${ok}/refresh`)).status).toBe(202);
    await vi.waitFor(
      async () => {
        expect((await findConnection(stack.db.db, ok))!.tokenVersion).toBeGreaterThan(version);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(peer.refreshes()).toBe(1);
    const refreshed = await stack.api('GET', `/v1/connections/${ok}/token`);
    const next = (refreshed.body as { accessToken: string }).accessToken;
    expect(next).not.toBe(accessToken);
    expect(peer.userOfAccessToken(next)).toBe('garmin-u-ok');

    const [event] = await eventsOf(stack, 'connection.migrated', ok);
    expect(event?.data).toMatchObject({
      fromProvider: 'garmin',
      toProvider: 'garmin-oauth2',
      mode: 'token_exchange',
      provider: 'garmin-oauth2',
    });

    const refused = (await findConnection(stack.db.db, gone))!;
    expect(refused).toMatchObject({
      provider: 'garmin',
      status: 'reauth_required',
      lastErrorCode: 'provider_migration',
    });
    const [reauth] = await eventsOf(stack, 'connection.reauth_required', gone);
    expect(reauth?.data).toMatchObject({ code: 'provider_migration', successor: 'garmin-oauth2' });
    expect(await itemOf(stack, migrationId, gone)).toMatchObject({
      outcome: 'reauth_required',
      detail: 'invalid_grant',
    });
    // The token API's re-link goes to the successor: Garmin's OAuth 2.0 consent page.
    const relink = await stack.api('GET', `/v1/connections/${gone}/token`);
    expect(relink.status).toBe(409);
    const { linkWebUrl } = (relink.body as { error: { linkWebUrl: string } }).error;
    expect(new URL(await providerUrlOf(stack, linkWebUrl)).pathname).toBe('/oauth2Confirm');

    const completed = (await eventsOf(stack, 'migration.completed')).find(
      (e) => e.data.migrationId === migrationId,
    );
    // The worker counts outcomes by migration.
    const worker = stack.services.find((service) => service.name === 'worker')!;
    const metrics = parsePrometheusText(await (await fetch(worker.metricsUrl)).text());
    const labels = { migration: migrationId, from: 'garmin', to: 'garmin-oauth2' };
    expect(
      sampleValue(metrics, 'tokenlane_migration_connections_total', {
        ...labels,
        outcome: 'migrated',
      }),
    ).toBe(1);
    expect(
      sampleValue(metrics, 'tokenlane_migration_connections_total', {
        ...labels,
        outcome: 'reauth_required',
      }),
    ).toBe(1);
    expect(completed?.data).toMatchObject({
      migrationId,
      from: 'garmin',
      to: 'garmin-oauth2',
      counts: { total: 2, migrated: 1, reauthRequired: 1 },
    });
  });

  it('a repeated run moves nothing twice: the migrated connection is no longer garmin', async () => {
    const again = await stack.api('POST', '/v1/migrations', {
      from: 'garmin',
      to: 'garmin-oauth2',
    });
    const view = await waitForMigration(
      stack,
      (again.body as MigrationBody).id,
      (v) => v.status === 'completed',
      10_000,
    );
    // Only the reauth_required one is still at garmin, and it is skipped (not active).
    expect(view.counts).toMatchObject({ total: 1, skipped: 1, migrated: 0 });
    expect(peer.exchanges('garmin-u-ok')).toBe(1);
  });

  it('a deregistration push to the old Garmin intake still finds the migrated connection', async () => {
    // Garmin keeps pushing to the URL configured for the OAuth 1.0a app; the user id is the same.
    const response = await fetch(`${stack.url}/webhooks/garmin/${WEBHOOK_SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'garmin-client-id': peer.clientId },
      body: JSON.stringify({ deregistrations: [{ userId: 'garmin-u-ok' }] }),
    });
    expect(response.status).toBe(200);
    await vi.waitFor(
      async () => {
        expect((await findConnection(stack.db.db, ok))?.status).toBe('revoked');
      },
      { timeout: 15_000, interval: 200 },
    );
  });

  it('cancel stops what has not started; what ran stays done, and the counts say which', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => seed(`c${i}`)));
    peer.setExchangeDelay(1_000);
    const started = await stack.api('POST', '/v1/migrations', {
      from: 'garmin',
      to: 'garmin-oauth2',
      connectionIds: ids,
    });
    const id = (started.body as MigrationBody).id;
    const cancelled = await stack.api('POST', `/v1/migrations/${id}/cancel`);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      counts: { total: 30, pending: 0 },
    });
    const again = await stack.api('POST', `/v1/migrations/${id}/cancel`);
    expect(again.status).toBe(409);
    // Exchanges already sent finish and record what they did.
    await vi.waitFor(
      async () => {
        for (const connectionId of ids) {
          const row = (await findConnection(stack.db.db, connectionId))!;
          const exchanged = peer.exchanges(row.providerUserId!);
          expect(exchanged).toBe(row.provider === 'garmin-oauth2' ? 1 : 0);
          expect(await itemOf(stack, id, connectionId)).toMatchObject(
            row.provider === 'garmin-oauth2'
              ? { outcome: 'migrated' }
              : { outcome: 'skipped', detail: 'cancelled' },
          );
        }
      },
      { timeout: 20_000, interval: 250 },
    );
    peer.setExchangeDelay(0);
    const view = (await stack.api('GET', `/v1/migrations/${id}`)).body as MigrationBody;
    expectCountsAddUp(view);
    expect(view.status).toBe('cancelled');
    expect(view.counts.migrated + view.counts.skipped).toBe(30);
    expect(view.counts.skipped).toBeGreaterThan(0);
  }, 40_000);
});

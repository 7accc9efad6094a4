import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../peers/scripted-provider.js';
import { RETURN_URL, startStack, type Stack } from '../support/stack.js';
import { linkAsUser, providerUrlOf } from '../support/link-browser.js';
import { eventsOf, expectCountsAddUp, waitForMigration, type MigrationBody } from './support.js';

/** Fitbit's sunset, moved to a few seconds from now through the providers file. */
const SUNSET_IN_MS = 50_000;
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];

let fitbitPeer: ScriptedProvider;
let healthPeer: ScriptedProvider;
let stack: Stack;
let sunsetAt: number;

beforeAll(async () => {
  // The Fitbit Web API (old grants, refreshed every ~16 s) and the Google Health API.
  fitbitPeer = await startScriptedProvider({ accessTokenTtl: 20, identity: true });
  healthPeer = await startScriptedProvider({ accessTokenTtl: 3_600, identity: true });
  sunsetAt = Date.now() + SUNSET_IN_MS;
  stack = await startStack({
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '500' },
    providers: () => ({
      fitbit: { ...fitbitPeer.entry(), sunsetAt: new Date(sunsetAt).toISOString() },
      // The peer is not Google's authorization server: it sends no `iss` (RFC 9207).
      'google-health': { ...healthPeer.entry(), authorizationResponseIss: false },
    }),
  });
}, 90_000);

afterAll(async () => {
  await stack.stop();
  await fitbitPeer.close();
  await healthPeer.close();
});

/** A link through the API, the peer's instant consent and the callback; the connection id. */
async function link(body: Record<string, string>, user: string): Promise<ConnectionId> {
  const back = await linkAsUser(stack, { ...body, returnUrl: RETURN_URL }, user);
  expect(back.searchParams.get('status')).toBe('success');
  return back.searchParams.get('connectionId') as ConnectionId;
}

describe('Fitbit → Google Health by re-consent: half the users re-link, the rest meet the sunset', () => {
  const ids = new Map<string, ConnectionId>();
  let gone: ConnectionId;
  let migrationId: string;

  it('asks every connection once (no URL in the event) and keeps it working on the old grant', async () => {
    for (const user of USERS) ids.set(user, await link({ userId: user, provider: 'fitbit' }, user));
    gone = await link({ userId: 'u-gone', provider: 'fitbit' }, 'u-gone');
    const started = await stack.api('POST', '/v1/migrations', {
      from: 'fitbit',
      to: 'google-health',
      connectionIds: [...ids.values()],
    });
    expect(started.status).toBe(202);
    migrationId = (started.body as MigrationBody).id;
    expect(started.body).toMatchObject({ mode: 'reconsent', status: 'running' });
    const view = await waitForMigration(
      stack,
      migrationId,
      (v) => v.counts.awaitingConsent === 7,
      20_000,
    );
    expect(view.status).toBe('running');
    expectCountsAddUp(view);

    const requested = await eventsOf(stack, 'connection.migration_requested');
    expect(requested.map((e) => e.connection_id).sort()).toEqual([...ids.values()].sort());
    for (const event of requested) {
      expect(event.data).toMatchObject({ to: 'google-health', provider: 'fitbit' });
      expect(JSON.stringify(event.data)).not.toMatch(/https?:/);
    }
    const shown = await stack.api('GET', `/v1/connections/${ids.get('u1')!}`);
    expect(shown.body).toMatchObject({
      provider: 'fitbit',
      status: 'active',
      migration: { to: 'google-health', requestedAt: expect.stringMatching(/^2\d{3}-/) as string },
    });
    expect((await stack.api('GET', `/v1/connections/${gone}`)).body).toMatchObject({
      migration: null,
    });
  }, 60_000);

  it('a 410 from the old API retires the connection, the event naming the successor', async () => {
    fitbitPeer.script('u-gone', 'gone');
    await vi.waitFor(
      async () => {
        expect(await findConnection(stack.db.db, gone)).toMatchObject({
          status: 'reauth_required',
          lastErrorCode: 'provider_retired',
        });
      },
      { timeout: 30_000, interval: 250 },
    );
    const [event] = await eventsOf(stack, 'connection.reauth_required', gone);
    expect(event?.data).toMatchObject({ code: 'provider_retired', successor: 'google-health' });
    // Meanwhile the waiting connections were refreshed on their Fitbit grants.
    expect(fitbitPeer.refreshes('u1').length).toBeGreaterThan(0);
    const token = await stack.api('GET', `/v1/connections/${ids.get('u1')!}/token`);
    expect(token.status).toBe(200);
    // The token API's re-link goes to Google Health.
    const relink = await stack.api('GET', `/v1/connections/${gone}/token`);
    expect(relink.status).toBe(409);
    const { linkWebUrl } = (relink.body as { error: { linkWebUrl: string } }).error;
    expect((await providerUrlOf(stack, linkWebUrl)).startsWith(healthPeer.url)).toBe(true);
  }, 40_000);

  it('a re-link to google-health moves the same connection id and emits connection.migrated', async () => {
    expect(Date.now()).toBeLessThan(sunsetAt - 5_000);
    // Someone else's Google account cannot take over a waiting connection: its identity names
    // another Fitbit user (legacyUserId), so the link fails and the connection stays.
    const swap = await linkAsUser(
      stack,
      {
        userId: 'u4',
        provider: 'google-health',
        connectionId: ids.get('u4')!,
        returnUrl: RETURN_URL,
      },
      'intruder',
    );
    expect(swap.searchParams.get('code')).toBe('account_mismatch');
    expect((await findConnection(stack.db.db, ids.get('u4')!))?.provider).toBe('fitbit');
    for (const user of ['u1', 'u2', 'u3']) {
      const id = ids.get(user)!;
      // The same person at Google Health: its identity names the Fitbit user id.
      const landed = await link(
        { userId: user, provider: 'google-health', connectionId: id },
        user,
      );
      expect(landed).toBe(id);
      expect((await stack.api('GET', `/v1/connections/${id}`)).body).toMatchObject({
        id,
        provider: 'google-health',
        status: 'active',
        migration: null,
      });
      const [event] = await eventsOf(stack, 'connection.migrated', id);
      expect(event?.data).toMatchObject({
        fromProvider: 'fitbit',
        toProvider: 'google-health',
        mode: 'reconsent',
        migrationId,
      });
      const token = await stack.api('GET', `/v1/connections/${id}/token`);
      expect(token.status).toBe(200);
    }
    const view = await waitForMigration(stack, migrationId, (v) => v.counts.migrated === 3, 5_000);
    expect(view.counts).toMatchObject({ total: 7, migrated: 3, awaitingConsent: 4 });
    // The Fitbit grants of the moved connections were revoked while the old API still answers.
    expect(fitbitPeer.revocations()).toEqual(expect.arrayContaining(['u1', 'u2', 'u3']));
    expect(fitbitPeer.revocations()).not.toContain('u4');
  }, 30_000);

  it('without connectionId, the Fitbit id Google Health reports pairs the link with the old connection', async () => {
    const id = ids.get('u7')!;
    // u7 consents at Google Health as the same person: the identity names legacyUserId "u7",
    // the Fitbit user id of the old connection.
    const landed = await link({ userId: 'u7', provider: 'google-health' }, 'u7');
    expect(landed).toBe(id);
    const row = (await findConnection(stack.db.db, id))!;
    expect(row).toMatchObject({
      provider: 'google-health',
      providerUserId: 'gh-u7',
      metadata: { healthUserId: 'gh-u7', legacyUserId: 'u7' },
      migrationTo: null,
    });
    const view = await waitForMigration(stack, migrationId, (v) => v.counts.migrated === 4, 5_000);
    expect(view.counts).toMatchObject({ total: 7, migrated: 4, awaitingConsent: 3 });
  }, 30_000);

  it('at the sunset the rest go reauth_required / provider_retired and the migration completes', async () => {
    const view = await waitForMigration(
      stack,
      migrationId,
      (v) => v.status === 'completed',
      sunsetAt - Date.now() + 20_000,
    );
    expect(view.counts).toEqual({
      total: 7,
      pending: 0,
      migrated: 4,
      awaitingConsent: 0,
      reauthRequired: 3,
      failed: 0,
      skipped: 0,
    });
    for (const user of ['u4', 'u5', 'u6']) {
      const row = (await findConnection(stack.db.db, ids.get(user)!))!;
      expect(row).toMatchObject({ provider: 'fitbit', status: 'reauth_required' });
      expect(row.lastErrorCode).toBe('provider_retired');
      expect(row.migrationTo).toBeNull();
    }
    const completed = (await eventsOf(stack, 'migration.completed')).find(
      (e) => e.data.migrationId === migrationId,
    );
    expect(completed?.data).toMatchObject({ counts: { migrated: 4, reauthRequired: 3 } });
    // Nothing is left to migrate once the provider is retired.
    const late = await stack.api('POST', '/v1/migrations', { from: 'fitbit', to: 'google-health' });
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject({ error: { code: 'invalid_request' } });
    // New links to the retired provider are refused, naming the successor.
    const refused = await stack.api('POST', '/v1/links', { userId: 'late', provider: 'fitbit' });
    expect(refused.status).toBe(410);
    expect(refused.body).toMatchObject({
      error: { code: 'provider_retired', successor: 'google-health' },
    });
    const providers = await stack.api('GET', '/v1/providers');
    expect((providers.body as { data: object[] }).data).toContainEqual(
      expect.objectContaining({ id: 'fitbit', retired: true, successor: 'google-health' }),
    );
  }, 90_000);
});

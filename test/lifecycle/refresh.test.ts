import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import {
  acceptCallback,
  exchangeLink,
  INTERRUPTED_REFRESH_CODE,
  openTokens,
  refreshConnection,
  startLink,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInteraction, startOidcPeer, type OidcPeer } from '../peers/oidc-peer.js';
import { TEST_PUBLIC_URL, openTestRuntime } from '../support/runtime.js';
import { openLinkInProcess } from '../support/link-browser.js';

let peer: OidcPeer;
let rt: Runtime;
let opened: Awaited<ReturnType<typeof openTestRuntime>>;

beforeAll(async () => {
  peer = await startOidcPeer({
    accessTokenTtl: 60,
    refreshTokenRotation: true,
    clients: [
      {
        clientId: 'refresh-test',
        clientSecret: 'refresh-test-secret-1234',
        redirectUris: [`${TEST_PUBLIC_URL}/oauth/callback`],
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    ],
  });
  opened = await openTestRuntime({
    env: { TOKENLANE_CALLBACK_WAIT_MS: '0' },
    providers: {
      acme: {
        kind: 'oauth2',
        authorizationUrl: peer.authorizationUrl,
        tokenUrl: peer.tokenUrl,
        revocationUrl: peer.revocationUrl,
        clientId: 'refresh-test',
        clientSecret: 'refresh-test-secret-1234',
        scopes: ['openid', 'offline_access'],
        authorizationParams: { prompt: 'consent' },
        tokenEndpointAuthMethod: 'client_secret_post',
        pkce: true,
      },
    },
  });
  rt = opened.runtime;
}, 60_000);

afterAll(async () => {
  await opened.dispose();
  await peer.close();
});

/** Links a user (its own connection per userId) with the lifecycle operations themselves (no HTTP, no worker process). */
async function link(userId: string): Promise<ConnectionId> {
  const started = await startLink(rt, { userId, provider: 'acme' });
  const opened = await openLinkInProcess(rt, started.linkWebUrl);
  const back = await completeInteraction(opened.authorizeUrl);
  const { session, outcome } = await acceptCallback(
    rt,
    Object.fromEntries(back.searchParams),
    opened.browserNonce,
  );
  expect(outcome.status).toBe('pending');
  const exchanged = await exchangeLink(rt, session.id);
  if (exchanged.status !== 'completed') throw new Error(`exchange ${exchanged.status}`);
  return exchanged.connectionId;
}

async function userinfoStatus(connectionId: ConnectionId): Promise<number> {
  const row = (await findConnection(rt.db, connectionId))!;
  const { accessToken } = openTokens(rt.keyRing, row);
  const response = await fetch(peer.userinfoUrl, {
    headers: { authorization: `Bearer ${accessToken!.reveal()}` },
  });
  await response.body?.cancel();
  return response.status;
}

async function eventTypes(connectionId: ConnectionId): Promise<string[]> {
  const rows = await rt.db
    .selectFrom('events')
    .select('type')
    .where('connection_id', '=', connectionId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => row.type);
}

describe('refreshConnection against oidc-provider with rotation', () => {
  it('is skipped while not due, and rotates tokens with compare-and-set when forced', async () => {
    const id = await link('user-1');
    const before = (await findConnection(rt.db, id))!;
    expect(before.refreshDueAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await refreshConnection(rt, id)).toEqual({ status: 'skipped', reason: 'not_due' });

    const outcome = await refreshConnection(rt, id, { trigger: 'operator' });
    expect(outcome).toEqual({ status: 'refreshed', tokenVersion: before.tokenVersion + 1 });
    const after = (await findConnection(rt.db, id))!;
    expect(after.refreshTokenEnc).not.toBe(before.refreshTokenEnc);
    expect(after.lastRefreshedAt).not.toBeNull();
    expect(await userinfoStatus(id)).toBe(200);
    expect(await eventTypes(id)).toEqual(['connection.created', 'connection.refreshed']);
  });

  it('treats a stale version as a lost race and never spends the refresh token', async () => {
    const id = await link('user-2');
    const row = (await findConnection(rt.db, id))!;
    expect(
      await refreshConnection(rt, id, {
        trigger: 'operator',
        expectedVersion: row.tokenVersion - 1,
      }),
    ).toEqual({
      status: 'lost_race',
    });
    expect((await findConnection(rt.db, id))!.tokenVersion).toBe(row.tokenVersion);
    expect(await refreshConnection(rt, id, { trigger: 'operator' })).toMatchObject({
      status: 'refreshed',
    });
  });

  it('lands in reauth_required when the user revoked access at the provider', async () => {
    const id = await link('user-3');
    const row = (await findConnection(rt.db, id))!;
    const { refreshToken } = openTokens(rt.keyRing, row);
    const revoke = await fetch(peer.revocationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: refreshToken!.reveal(),
        client_id: 'refresh-test',
        client_secret: 'refresh-test-secret-1234',
      }),
    });
    expect(revoke.status).toBe(200);
    expect(await refreshConnection(rt, id, { trigger: 'operator' })).toEqual({
      status: 'reauth_required',
      code: 'invalid_grant',
    });
    const after = (await findConnection(rt.db, id))!;
    expect(after).toMatchObject({
      status: 'reauth_required',
      refreshDueAt: null,
      lastErrorCode: 'invalid_grant',
    });
    // A link URL is a capability: no link is made until a caller asks (the token API's 409),
    // and the event names the reason only.
    expect(await eventTypes(id)).toEqual(['connection.created', 'connection.reauth_required']);
  });

  it('reports a refusal after an interrupted run as refresh_interrupted, not a plain invalid_grant', async () => {
    const id = await link('user-4');
    const row = (await findConnection(rt.db, id))!;
    // The run a killed worker was making: the provider rotated, the answer never got stored.
    const { refreshToken } = openTokens(rt.keyRing, row);
    const lost = await fetch(peer.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken!.reveal(),
        client_id: 'refresh-test',
        client_secret: 'refresh-test-secret-1234',
      }),
    });
    expect(lost.status).toBe(200);
    await lost.body?.cancel();
    // The job's next run knows its previous run was cut off (BullMQ's stalled counter).
    expect(await refreshConnection(rt, id, { trigger: 'operator', interrupted: true })).toEqual({
      status: 'reauth_required',
      code: INTERRUPTED_REFRESH_CODE,
    });
    expect(await findConnection(rt.db, id)).toMatchObject({
      status: 'reauth_required',
      lastErrorCode: 'refresh_interrupted',
    });
  });

  it('lands a second link of the same account on the same connection', async () => {
    const first = await link('user-same');
    const second = await link('user-same');
    expect(second).toBe(first);
    const relinked = await rt.db
      .selectFrom('events')
      .select('data')
      .where('connection_id', '=', first)
      .where('type', '=', 'connection.created')
      .orderBy('seq')
      .execute();
    expect(relinked.map((row) => row.data.relinked)).toEqual([false, true]);
  });
});

import type { ConnectionId } from '@tokenlane/core';
import { findConnection, type Connection } from '@tokenlane/db';
import { acceptCallback, exchangeLink, revokeJob, startLink } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import { request } from 'undici';
import { completeInteraction, startOidcPeer, type OidcPeer } from '../peers/oidc-peer.js';
import { TEST_PUBLIC_URL, openTestRuntime } from '../support/runtime.js';
import { runJobAt } from '../support/jobs.js';
import { openLinkInProcess } from '../support/link-browser.js';

export const CLIENT_ID = 'revoke-test';
export const CLIENT_SECRET = 'revoke-test-secret-5678';
export const API_KEY = 'runtime-test-key-0123456789';
export const WEBHOOK_SECRET = 'acme-webhook-secret-9c8b7a-0123456789ab';

/** The oidc-provider peer as a custom provider, with RFC 7009 revocation and a webhook secret. */
export function acmeEntry(peer: OidcPeer, overrides: Record<string, unknown> = {}) {
  return {
    kind: 'oauth2',
    authorizationUrl: peer.authorizationUrl,
    tokenUrl: peer.tokenUrl,
    revocationUrl: peer.revocationUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    scopes: ['openid', 'offline_access'],
    authorizationParams: { prompt: 'consent' },
    tokenEndpointAuthMethod: 'client_secret_post',
    pkce: true,
    webhookSecret: WEBHOOK_SECRET,
    ...overrides,
  };
}

export async function startPeer(): Promise<OidcPeer> {
  return startOidcPeer({
    accessTokenTtl: 600,
    refreshTokenRotation: true,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${TEST_PUBLIC_URL}/oauth/callback`],
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    ],
  });
}

export async function openRuntime(providers: object) {
  return openTestRuntime({ env: { TOKENLANE_CALLBACK_WAIT_MS: '0' }, providers });
}

/**
 * Links `login` at the peer with the lifecycle operations themselves (no HTTP, no worker);
 * the peer's `sub` (= login) becomes the connection's providerUserId.
 */
export async function link(rt: Runtime, provider: string, login: string): Promise<ConnectionId> {
  const started = await startLink(rt, { userId: `app-${login}`, provider });
  const opened = await openLinkInProcess(rt, started.linkWebUrl);
  const back = await completeInteraction(opened.authorizeUrl, { login });
  const { session } = await acceptCallback(
    rt,
    Object.fromEntries(back.searchParams),
    opened.browserNonce,
  );
  const exchanged = await exchangeLink(rt, session.id);
  if (exchanged.status !== 'completed') throw new Error(`exchange ${exchanged.status}`);
  return exchanged.connectionId;
}

export async function row(rt: Runtime, id: ConnectionId): Promise<Connection> {
  const connection = await findConnection(rt.db, id);
  if (connection === undefined) throw new Error(`connection ${id} is gone`);
  return connection;
}

export async function events(rt: Runtime, id: ConnectionId) {
  return rt.db
    .selectFrom('events')
    .select(['type', 'data'])
    .where('connection_id', '=', id)
    .orderBy('seq')
    .execute();
}

/** A refresh_token grant at the peer, as tokenlane would send it. */
export async function refreshAtPeer(peer: OidcPeer, refreshToken: string) {
  const response = await request(peer.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    }).toString(),
  });
  return { status: response.statusCode, body: (await response.body.json()) as { error?: string } };
}

/** Runs the `revoke` job on `rt` as a worker would on attempt `attemptsMade` (of 6). */
export function runRevoke(rt: Runtime, data: unknown, attemptsMade = 0) {
  return runJobAt(revokeJob, rt, data, attemptsMade);
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

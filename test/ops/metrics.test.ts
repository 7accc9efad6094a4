import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { buildApp } from '@tokenlane/ingress';
import {
  acceptCallback,
  exchangeLink,
  openTokens,
  refreshConnection,
  startLink,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHealthServer } from '../../services/worker/src/health-server.js';
import { completeInteraction, startOidcPeer, type OidcPeer } from '../peers/oidc-peer.js';
import { TEST_PUBLIC_URL, openTestRuntime } from '../support/runtime.js';
import {
  parsePrometheusText,
  sampleValue,
  type ParsedExposition,
} from '../support/prometheus-text.js';
import { openLinkInProcess } from '../support/link-browser.js';

const CLIENT = { clientId: 'metrics-test', clientSecret: 'metrics-test-secret-5678' };

let peer: OidcPeer;
let opened: Awaited<ReturnType<typeof openTestRuntime>>;
let rt: Runtime;
let app: FastifyInstance;
let health: Server;

beforeAll(async () => {
  peer = await startOidcPeer({
    accessTokenTtl: 600,
    clients: [
      {
        ...CLIENT,
        redirectUris: [`${TEST_PUBLIC_URL}/oauth/callback`],
        tokenEndpointAuthMethod: 'client_secret_basic',
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
        ...CLIENT,
        scopes: ['openid', 'offline_access'],
        authorizationParams: { prompt: 'consent' },
        pkce: true,
      },
    },
  });
  rt = opened.runtime;
  app = buildApp({ runtime: rt });
  await app.ready();
  health = await startHealthServer(rt, 0, '127.0.0.1');
}, 60_000);

afterAll(async () => {
  health.close();
  await app.close();
  await opened.dispose();
  await peer.close();
});

/** Links a user through the lifecycle operations in-process (no worker runs the exchange job). */
async function link(userId: string, login?: string): Promise<ConnectionId> {
  const started = await startLink(rt, { userId, provider: 'acme' });
  const opened = await openLinkInProcess(rt, started.linkWebUrl);
  const back = await completeInteraction(opened.authorizeUrl, login === undefined ? {} : { login });
  const { session } = await acceptCallback(
    rt,
    Object.fromEntries(back.searchParams),
    opened.browserNonce,
  );
  const exchanged = await exchangeLink(rt, session.id);
  if (exchanged.status !== 'completed') throw new Error(`exchange ${exchanged.status}`);
  return exchanged.connectionId;
}

async function scrapeIngress(): Promise<ParsedExposition> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(response.body);
}

describe('/metrics', () => {
  it('is Prometheus text on the ingress without any credentials', async () => {
    const parsed = await scrapeIngress();
    expect(parsed.types.get('tokenlane_refresh_total')).toBe('counter');
    expect(parsed.types.get('tokenlane_jobs')).toBe('gauge');
    expect(parsed.types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    // Every catalog queue is counted, even when empty.
    expect(sampleValue(parsed, 'tokenlane_jobs', { queue: 'refresh', state: 'waiting' })).toBe(0);
  });

  it('moves when a link is exchanged and a connection refreshed', async () => {
    const before = await scrapeIngress();
    const acme = { provider: 'acme' };

    const id = await link('metrics-user');
    expect(await refreshConnection(rt, id, { trigger: 'operator' })).toMatchObject({
      status: 'refreshed',
    });

    const after = await scrapeIngress();
    const moved = (name: string, labels: Record<string, string> = acme) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(moved('tokenlane_exchange_total', { ...acme, outcome: 'completed', code: 'none' })).toBe(
      1,
    );
    expect(moved('tokenlane_refresh_total', { ...acme, outcome: 'refreshed', code: 'none' })).toBe(
      1,
    );
    expect(moved('tokenlane_exchange_duration_seconds_count')).toBe(1);
    expect(moved('tokenlane_refresh_duration_seconds_count')).toBe(1);
    expect(moved('tokenlane_refresh_lead_time_seconds_count')).toBe(1);
    // Forced right after the link: the token had nearly all of its 600 s left.
    expect(moved('tokenlane_refresh_lead_time_seconds_sum')).toBeGreaterThan(500);
    expect(moved('tokenlane_refresh_lead_time_seconds_bucket', { ...acme, le: '300' })).toBe(0);
    // The callback enqueued an exchange job and no worker runs here: it waits.
    expect(sampleValue(after, 'tokenlane_jobs', { queue: 'exchange', state: 'waiting' })).toBe(1);
    // Connection counts are cached a few seconds; they catch up.
    await vi.waitFor(
      async () => {
        const parsed = await scrapeIngress();
        expect(sampleValue(parsed, 'tokenlane_connections', { ...acme, status: 'active' })).toBe(1);
      },
      { timeout: 10_000, interval: 500 },
    );
  });

  it('counts a refresh the provider refuses by its error code', async () => {
    const id = await link('metrics-revoked', 'revoked-account');
    const row = (await findConnection(rt.db, id))!;
    const revoke = await fetch(peer.revocationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: openTokens(rt.keyRing, row).refreshToken!.reveal(),
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      }),
    });
    expect(revoke.status).toBe(200);
    const before = await scrapeIngress();
    expect(await refreshConnection(rt, id, { trigger: 'operator' })).toMatchObject({
      status: 'reauth_required',
    });
    const after = await scrapeIngress();
    const labels = { provider: 'acme', outcome: 'reauth_required', code: 'invalid_grant' };
    expect(
      sampleValue(after, 'tokenlane_refresh_total', labels) -
        sampleValue(before, 'tokenlane_refresh_total', labels),
    ).toBe(1);
    // No lead time for a refresh that did not happen.
    expect(sampleValue(after, 'tokenlane_refresh_lead_time_seconds_count')).toBe(
      sampleValue(before, 'tokenlane_refresh_lead_time_seconds_count'),
    );
  });

  it('is served on the worker health port too, from the same registry', async () => {
    const { port } = health.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const parsed = parsePrometheusText(await response.text());
    expect(
      sampleValue(parsed, 'tokenlane_exchange_total', { provider: 'acme', outcome: 'completed' }),
    ).toBeGreaterThanOrEqual(1);
  });
});

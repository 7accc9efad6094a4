import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionId } from '@tokenlane/core';
import { openTokens } from '@tokenlane/lifecycle';
import { freePort } from '@tokenlane/queue';
import { KeyRing } from '@tokenlane/vault';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOAuth1Peer, type OAuth1Peer } from '../peers/oauth1-peer.js';
import { startReceiver, type Receiver } from '../events/receiver.js';
import {
  linkConcurrently,
  refreshRequestsByConnection,
  refreshTokenOwners,
  tally,
  unfinishedJobs,
} from '../support/bursts.js';
import { activeAtPeer } from '../support/oidc-stack.js';
import { RETURN_URL } from '../support/stack.js';
import { startService } from '../support/tokenlane-process.js';
import { allKeys, startClusterWorld, statusTally, type ClusterWorld } from './support.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';

/** Connections in the proactive refresh wave. */
const WAVE = 200;
/** Concurrent token API callers on one expired token. */
const CALLERS = 200;
const GARMIN_SECRET = 'cluster-garmin-secret-7c1d';
const WEBHOOK_SECRET = 'cluster-webhook-secret-2b8e-0123456789';
/** The `limited` provider's rate limit: requests per second, across every worker. */
const LIMIT = 4;

let world: ClusterWorld;
let oauth1: OAuth1Peer;
let receiver: Receiver;

beforeAll(async () => {
  oauth1 = await startOAuth1Peer({ consumers: { 'cluster-garmin': GARMIN_SECRET } });
  receiver = await startReceiver(WEBHOOK_SECRET);
  world = await startClusterWorld({
    clientId: 'cluster',
    proxy: true,
    env: {
      TOKENLANE_SWEEP_INTERVAL_MS: '300',
      TOKENLANE_WEBHOOK_URL: receiver.url,
      TOKENLANE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
    moreProviders: (acme) => ({
      limited: { ...acme, rateLimit: { requests: LIMIT, perSeconds: 1 } },
      garmin: {
        ...oauth1.entry('cluster-garmin'),
        // The OAuth 1.0a flow stays under test past Garmin's sunset (2026-12-31).
        sunsetAt: null,
      },
    }),
  });
}, 120_000);

afterAll(async () => {
  await world.close();
  await oauth1.close();
  await receiver.close();
});

describe('tokenlane on a six-node Redis Cluster', () => {
  it('refuses to start on a cluster without the switch, or without a hash-tagged prefix, in one line', async () => {
    const base = {
      REDIS_URL: world.cluster.seedUrl,
      DATABASE_URL: 'postgres://127.0.0.1:9/unused',
      TOKENLANE_API_KEYS: 'cluster-boot-key-0123456789',
      TOKENLANE_ENCRYPTION_KEYS: KeyRing.generateSpec('boot1'),
      TOKENLANE_DATA_DIR: join(tmpdir(), 'tokenlane-cluster-boot'),
    };
    const undeclared = await bootFailure({ ...base, TOKENLANE_QUEUE_PREFIX: '{tl}' });
    expect(undeclared).toEqual([
      'tokenlane ingress: REDIS_URL names a Redis Cluster node: set TOKENLANE_REDIS_CLUSTER=true and a hash-tagged TOKENLANE_QUEUE_PREFIX such as {tokenlane}',
    ]);
    const untagged = await bootFailure({
      ...base,
      TOKENLANE_REDIS_CLUSTER: 'true',
      TOKENLANE_QUEUE_PREFIX: 'tokenlane',
    });
    expect(untagged).toEqual([
      'Invalid environment: TOKENLANE_QUEUE_PREFIX must contain a hash tag such as {tokenlane} when TOKENLANE_REDIS_CLUSTER=true (every key of a queue must hash to one slot) (got "tokenlane")',
    ]);
  }, 60_000);

  it('links over OAuth 2.0 and OAuth 1.0a', async () => {
    const oauth2 = await world.oidc.link('cluster-oauth2');
    expect(await world.oidc.row(oauth2)).toMatchObject({ status: 'active', provider: 'acme' });

    const created = await world.oidc.stack.api('POST', '/v1/links', {
      userId: 'cluster-oauth1',
      provider: 'garmin',
      returnUrl: RETURN_URL,
    });
    expect(created.status).toBe(201);
    const { url } = world.oidc.stack;
    const browser = new LinkBrowser(viaHttp(url), url);
    const linkWebUrl = (created.body as { linkWebUrl: string }).linkWebUrl;
    const back = await oauth1.approve(await browser.toProvider(linkWebUrl));
    const response = await browser.callback(back);
    const location = new URL(response.location!);
    expect(location.searchParams.get('status')).toBe('success');
    const oauth1Id = location.searchParams.get('connectionId')! as ConnectionId;
    const row = await world.oidc.row(oauth1Id);
    expect(row).toMatchObject({ status: 'active', provider: 'garmin' });
    expect(openTokens(world.oidc.stack.keyRing, row).tokenSecret).toBeDefined();
  }, 60_000);

  it(`refreshes ${WAVE} connections proactively, each exactly once`, async () => {
    const ids = await linkConcurrently(world.oidc, 'wave', WAVE, 16);
    const owners = await refreshTokenOwners(world.oidc, ids);
    const before = new Map((await world.oidc.rows(ids)).map((r) => [r.id, r.token_version]));
    const proxy = world.oidc.proxy!;
    const start = proxy.requests.length;
    const dueAt = Date.now();
    await world.oidc.makeDue(ids);
    await vi.waitFor(
      async () => {
        const now = await world.oidc.rows(ids);
        expect(now.filter((r) => r.token_version > before.get(r.id)!)).toHaveLength(WAVE);
      },
      { timeout: 60_000, interval: 250 },
    );
    const wavedMs = Date.now() - dueAt;
    const grants = refreshRequestsByConnection(proxy.requests.slice(start), owners);
    expect(tally(ids.map((id) => grants.get(id)!.length))).toEqual({ 1: WAVE });
    expect(await statusTally(world.oidc, ids)).toEqual({ 'active null': WAVE });
    await vi.waitFor(
      async () => {
        expect(await unfinishedJobs(world.queues, ['refresh'])).toBe(0);
      },
      { timeout: 10_000, interval: 200 },
    );
    console.log(`cluster: ${WAVE} proactive refreshes done ${wavedMs} ms after they fell due`);
  }, 180_000);

  it(`answers ${CALLERS} concurrent token calls on an expired token with one refresh`, async () => {
    const id = await world.oidc.link('crowd');
    const owners = await refreshTokenOwners(world.oidc, [id]);
    const before = await world.oidc.row(id);
    await world.oidc.stack.db.db
      .updateTable('connections')
      .set({ expires_at: new Date(Date.now() - 1_000) })
      .where('id', '=', id)
      .execute();
    const proxy = world.oidc.proxy!;
    const start = proxy.requests.length;
    const answers = await Promise.all(
      Array.from({ length: CALLERS }, () =>
        world.oidc.stack.api('GET', `/v1/connections/${id}/token`),
      ),
    );
    const after = await world.oidc.row(id);
    const current = openTokens(world.oidc.stack.keyRing, after).accessToken!.reveal();
    expect(tally(answers.map((answer) => answer.status))).toEqual({ 200: CALLERS });
    expect(
      answers.filter((answer) => (answer.body as { accessToken: string }).accessToken !== current),
    ).toEqual([]);
    expect(after.tokenVersion).toBe(before.tokenVersion + 1);
    const grants = refreshRequestsByConnection(proxy.requests.slice(start), owners).get(id)!;
    expect(grants).toHaveLength(1);
  }, 60_000);

  it('revokes a connection at the provider and wipes its tokens', async () => {
    const id = await world.oidc.link('revoked');
    const refreshToken = openTokens(
      world.oidc.stack.keyRing,
      await world.oidc.row(id),
    ).refreshToken!.reveal();
    expect(await activeAtPeer(world.oidc, refreshToken)).toBe(true);
    const response = await world.oidc.stack.api('DELETE', `/v1/connections/${id}`);
    expect(response).toMatchObject({ status: 202, body: { status: 'revoking' } });
    await vi.waitFor(
      async () => {
        expect((await world.oidc.row(id)).status).toBe('revoked');
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(await world.oidc.row(id)).toMatchObject({
      refreshTokenEnc: null,
      accessTokenEnc: null,
      revocationConfirmed: true,
    });
    expect(await activeAtPeer(world.oidc, refreshToken)).toBe(false);
  }, 60_000);

  it('delivers lifecycle events, signed, to the webhook', async () => {
    const id = await world.oidc.link('evented');
    await world.oidc.stack.api('DELETE', `/v1/connections/${id}`);
    await vi.waitFor(
      () => {
        const types = receiver.received
          .filter((r) => r.body.includes(id))
          .map((r) => (JSON.parse(r.body) as { type: string }).type);
        expect(types).toEqual(['connection.created', 'connection.revoked']);
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(receiver.received.filter((r) => r.body.includes(id)).every((r) => r.signatureOk)).toBe(
      true,
    );
  }, 60_000);

  it(`holds the provider rate limit (${LIMIT}/s) across two worker processes`, async () => {
    const second = await world.oidc.stack.startWorker();
    const ids: ConnectionId[] = [];
    for (let i = 0; i < 5 * LIMIT; i += 1)
      ids.push(await world.oidc.link(`limited-${i}`, 'limited'));
    const owners = await refreshTokenOwners(world.oidc, ids);
    const before = new Map((await world.oidc.rows(ids)).map((r) => [r.id, r.token_version]));
    const proxy = world.oidc.proxy!;
    const start = proxy.requests.length;
    await world.oidc.makeDue(ids);
    await vi.waitFor(
      async () => {
        const now = await world.oidc.rows(ids);
        expect(now.filter((r) => r.token_version > before.get(r.id)!)).toHaveLength(ids.length);
      },
      { timeout: 30_000, interval: 200 },
    );
    const grants = [...refreshRequestsByConnection(proxy.requests.slice(start), owners).values()];
    const perSecond = tally(grants.flat().map((request) => Math.floor(request.at / 1000)));
    expect(grants.flat()).toHaveLength(ids.length);
    expect(Math.max(...Object.values(perSecond))).toBeLessThanOrEqual(LIMIT);
    // Both workers took part: each one's own counter of refreshes at the provider.
    const workers = world.oidc.stack.services.filter((service) => service.name === 'worker');
    expect(workers).toContain(second);
    const refreshed = await Promise.all(workers.map((worker) => refreshCount(worker.metricsUrl)));
    expect(refreshed.every((count) => count > 0)).toBe(true);
    console.log(
      `cluster: ${ids.length} refreshes of a ${LIMIT}/s provider over two workers: per second ${JSON.stringify(perSecond)}, per worker ${JSON.stringify(refreshed)}`,
    );
  }, 90_000);

  it('writes every key it keeps in Redis under the hash tag of its prefix (one slot)', async () => {
    const keys = await allKeys(world.redis);
    expect(keys.length).toBeGreaterThan(0);
    // The file's cluster is tokenlane's alone: every key there is one it (or BullMQ) wrote.
    expect(keys.filter((key) => !key.startsWith(`${world.oidc.stack.prefix}:`))).toEqual([]);
    const slots = new Set(
      await Promise.all(keys.slice(0, 50).map((key) => world.redis.cluster('KEYSLOT', key))),
    );
    // The rate-limit windows live one second, so they are checked where they are taken (the
    // two-worker test above), not here.
    expect(slots.size).toBe(1);
  });
});

/** The lines a service that fails at boot prints (it must exit at once, with no stack trace). */
async function bootFailure(env: Record<string, string>): Promise<string[]> {
  const port = await freePort();
  const failure = await startService(
    'ingress',
    { PORT: String(port), HOST: '127.0.0.1', ...env },
    `http://127.0.0.1:${port}/readyz`,
  ).then(
    async (service) => {
      await service.stop();
      return undefined;
    },
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  expect(failure).toMatch(/^ingress exited with 1:/);
  // Log lines are JSON; the refusal is the one plain line.
  return failure!
    .split('\n')
    .slice(1)
    .filter((line) => line !== '' && !line.startsWith('{'));
}

/** `tokenlane_refresh_total{provider="limited",outcome="refreshed"}` from one /metrics. */
async function refreshCount(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('tokenlane_refresh_total{') &&
        line.includes('provider="limited"') &&
        line.includes('outcome="refreshed"'),
    )
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

import { randomBytes } from 'node:crypto';
import {
  isOAuth1Token,
  TokenlaneApiError,
  TokenlaneClient,
  verifyWebhook,
  type Connection,
  type TokenlaneEvent,
} from '@tokenlane/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../events/receiver.js';
import { presentedToken, startResourcePeer, type ResourcePeer } from '../peers/resource-peer.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';
import { activeAtPeer, startOidcStack, type OidcStack } from '../support/oidc-stack.js';
import { API_KEY, RETURN_URL } from '../support/stack.js';

/**
 * The published SDK against the real thing: ingress and worker processes on Postgres and Redis,
 * oidc-provider as provider `acme` (its API a resource peer that checks every token at the
 * oidc peer), and a webhook receiver that the real worker delivers signed events to.
 */
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const USER = 'sdk-user';

let receiver: Receiver;
let api: ResourcePeer;
let oidc: OidcStack;
let client: TokenlaneClient;
let connectionId: string;

beforeAll(async () => {
  receiver = await startReceiver(SECRET);
  const started: { oidc?: OidcStack } = {};
  api = await startResourcePeer({
    authorize: async (req) => {
      const token = presentedToken(req);
      return (
        started.oidc !== undefined &&
        token !== undefined &&
        (await activeAtPeer(started.oidc, token))
      );
    },
  });
  oidc = await startOidcStack({
    clientId: 'sdk-client',
    env: { TOKENLANE_WEBHOOK_URL: receiver.url, TOKENLANE_WEBHOOK_SECRET: SECRET },
    moreProviders: (acme) => ({
      acme: { ...acme, apiBaseUrl: api.apiBaseUrl },
      // Configured (and not yet retired) so a dry-run migration can run; never called, since
      // no fitbit connection exists.
      fitbit: { clientId: 'sdk-fitbit', clientSecret: 'sdk-fitbit-secret', sunsetAt: '2099-01-01' },
      'google-health': { clientId: 'sdk-health', clientSecret: 'sdk-health-secret' },
    }),
  });
  started.oidc = oidc;
  client = new TokenlaneClient({ baseUrl: oidc.stack.url, apiKey: API_KEY });
}, 120_000);

afterAll(async () => {
  await oidc.close();
  await api.close();
  await receiver.close();
});

/** Opens a link's URL as the user's browser and consents at oidc-provider. */
async function completeInBrowser(linkWebUrl: string): Promise<URL> {
  const browser = new LinkBrowser(viaHttp(oidc.stack.url), oidc.stack.url);
  const answer = await browser.link(linkWebUrl);
  return new URL(answer.location ?? `${RETURN_URL}?status=none`);
}

/** Polls `read` until `done` holds (the worker is a separate process). */
async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function allEvents(): Promise<TokenlaneEvent[]> {
  const events: TokenlaneEvent[] = [];
  for await (const event of client.iterateEvents({ limit: 2 })) events.push(event);
  return events;
}

describe('@tokenlane/client against the real server', () => {
  it('links a user through oidc-provider and reads the connection', async () => {
    const providers = await client.listProviders();
    expect(providers.find((p) => p.id === 'acme')).toMatchObject({ configured: true });

    const link = await client.createLink({ userId: USER, provider: 'acme', returnUrl: RETURN_URL });
    expect(link.method).toBe('redirect');
    expect(link.linkWebUrl.startsWith(`${oidc.stack.url}/connect/`)).toBe(true);
    const back = await completeInBrowser(link.linkWebUrl);
    expect(['success', 'pending']).toContain(back.searchParams.get('status'));

    // A slow exchange redirects with status=pending: the connection then appears by itself.
    const page = await eventually(
      'the connection',
      () => client.listConnections({ userId: USER }),
      (result) => result.data.length === 1,
    );
    const listed: Connection = page.data[0]!;
    connectionId = listed.id;
    expect(page.nextCursor).toBeNull();
    expect(await client.getConnection(connectionId)).toMatchObject({
      id: connectionId,
      userId: USER,
      provider: 'acme',
      status: 'active',
    });
    const iterated: string[] = [];
    for await (const c of client.iterateConnections({ provider: 'acme', limit: 1 })) {
      iterated.push(c.id);
    }
    expect(iterated).toEqual([connectionId]);
  });

  it('reads a token the provider honors, and calls its API through the proxy', async () => {
    const token = await client.getToken(connectionId, { minValidity: 60 });
    if (isOAuth1Token(token)) throw new Error('acme is OAuth 2.0');
    expect(token.tokenType.toLowerCase()).toBe('bearer');
    expect(await activeAtPeer(oidc, token.accessToken)).toBe(true);

    api.clear();
    const response = await client.proxy(connectionId).get('/echo/steps', { query: { day: '1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('tokenlane-connection-status')).toBe('active');
    const echoed = (await response.json()) as { method: string; url: string };
    expect(echoed).toMatchObject({ method: 'GET', url: '/api/echo/steps?day=1' });
    expect(api.requests().map((request) => request.authorized)).toEqual([true]);

    // The provider answered 401 to a token already replaced: the report changes nothing.
    await client.reportUnauthorized(connectionId, 'a-token-tokenlane-never-issued');
    expect((await client.getConnection(connectionId)).status).toBe('active');
  });

  it('refreshes, and lists the events page by page with the cursor', async () => {
    await client.refresh(connectionId);
    const events = await eventually('connection.refreshed', allEvents, (list) =>
      list.some((event) => event.type === 'connection.refreshed'),
    );
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['link.created', 'connection.created', 'connection.refreshed']),
    );
    const first = await client.listEvents({ limit: 1 });
    expect(first.data).toEqual([events[0]]);
    expect(first.nextCursor).toBe(events[0]!.cursor);
    const second = await client.listEvents({ after: first.nextCursor!, limit: 1 });
    expect(second.data).toEqual([events[1]]);
  });

  it('verifies the webhook deliveries the worker signed, and refuses a tampered one', async () => {
    const delivered = await eventually(
      'the connection.created delivery',
      () => Promise.resolve(receiver.received),
      (received) => received.some((r) => r.body.includes('"connection.created"')),
    );
    const delivery = delivered.find((r) => r.body.includes('"connection.created"'))!;
    expect(verifyWebhook(delivery.body, delivery.headers, SECRET)).toBe(true);
    const signature = String(delivery.headers['tokenlane-signature']);
    expect(verifyWebhook(delivery.body, signature, SECRET)).toBe(true);
    const tampered = delivery.body.replace(USER, 'someone-else');
    expect(verifyWebhook(tampered, delivery.headers, SECRET)).toBe(false);
    expect(verifyWebhook(delivery.body, delivery.headers, 'whsec_b3RoZXI=')).toBe(false);
  });

  it('starts a re-link in place and answers the same live link again', async () => {
    const relink = await client.relink(connectionId, { returnUrl: RETURN_URL });
    expect(relink.linkWebUrl.startsWith(`${oidc.stack.url}/connect/`)).toBe(true);
    expect((await client.relink(connectionId, { returnUrl: RETURN_URL })).linkId).toBe(
      relink.linkId,
    );
    const back = await completeInBrowser(relink.linkWebUrl);
    expect(back.searchParams.get('status')).not.toBe('error');
    const connections = await client.listConnections({ userId: USER });
    expect(connections.data.map((c) => c.id)).toEqual([connectionId]);
  });

  it('runs a dry-run migration through its whole API', async () => {
    const started = await client.startMigration({
      from: 'fitbit',
      to: 'google-health',
      dryRun: true,
    });
    expect(started).toMatchObject({ from: 'fitbit', to: 'google-health', dryRun: true });
    const done = await eventually(
      'the migration to complete',
      () => client.getMigration(started.id),
      (migration) => migration.status === 'completed',
    );
    expect(done.counts.total).toBe(0);
    expect((await client.listMigrations()).map((m) => m.id)).toContain(started.id);
    await expect(client.cancelMigration(started.id)).rejects.toMatchObject({
      status: 409,
      code: 'conflict',
    });
  });

  it('turns the server’s refusals into TokenlaneApiError with their code', async () => {
    const missing = await client
      .getConnection('0b6f6c8e-55b4-4d3e-9d39-3f4d1c2b7a10')
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(TokenlaneApiError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    expect((missing as TokenlaneApiError).requestId).toMatch(/\w/);

    const stranger = new TokenlaneClient({ baseUrl: oidc.stack.url, apiKey: 'not-a-key-at-all' });
    await expect(stranger.listProviders()).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
  });

  it('revokes the connection; its token is then refused', async () => {
    await client.deleteConnection(connectionId);
    await eventually(
      'the revocation',
      () => client.getConnection(connectionId),
      (connection) => connection.status === 'revoked',
    );
    await expect(client.getToken(connectionId)).rejects.toBeInstanceOf(TokenlaneApiError);
  });
});

import type { ConnectionId, EventType, LinkSessionId } from '@tokenlane/core';
import { findConnection, type Connection, type JsonObject } from '@tokenlane/db';
import { openTokens } from '@tokenlane/lifecycle';
import { identityJob } from '@tokenlane/lifecycle';
import { JobQueues } from '@tokenlane/queue';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHealthApiPeer, type HealthApiPeer } from '../peers/health-api-peer.js';
import { startOidcPeer, type OidcPeer } from '../peers/oidc-peer.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';
import { RETURN_URL, startStack, type Stack } from '../support/stack.js';

/**
 * Google Health links through the real worker: oidc-provider plays Google's authorization
 * server (its id_tokens name the login as `sub`), and a Google Health API peer answers
 * `users/me/identity` with a `healthUserId` that is not that `sub`, failing when told to.
 */
const CLIENT_ID = 'google-health-e2e';
const CLIENT_SECRET = 'google-health-e2e-secret-4b7e1c';
/** The link's own look-up: the first request and its two in-call retries. */
const LINK_LOOKUP_CALLS = 3;

let peer: OidcPeer;
let api: HealthApiPeer;
let stack: Stack;

/** The account an access token was issued to, as a resource server asks the peer. */
async function introspect(token: string): Promise<string | undefined> {
  const response = await fetch(peer.introspectionUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  const body = (await response.json()) as { active: boolean; sub?: string };
  return body.active ? body.sub : undefined;
}

beforeAll(async () => {
  stack = await startStack({
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '500' },
    providers: async (ingressUrl) => {
      peer = await startOidcPeer({
        clients: [
          {
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            redirectUris: [`${ingressUrl}/oauth/callback`],
            tokenEndpointAuthMethod: 'client_secret_post',
          },
        ],
      });
      api = await startHealthApiPeer({ introspect });
      // The built-in google-health definition (its identity look-up, iss check, PKCE) with the
      // peers' endpoints; offline_access is how oidc-provider grants refresh tokens.
      return {
        'google-health': {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          authorizationUrl: peer.authorizationUrl,
          tokenUrl: peer.tokenUrl,
          revocationUrl: peer.revocationUrl,
          issuer: peer.issuer,
          apiBaseUrl: api.url,
          scopes: ['openid', 'offline_access'],
          // 3 calls an hour per connection, 20 % kept for refreshes: 2 look-ups or proxied calls.
          rateLimits: [{ requests: 3, perSeconds: 3600, per: 'connection' }],
        },
      };
    },
  });
}, 90_000);

afterAll(async () => {
  await stack.stop();
  await api.close();
  await peer.close();
});

interface LinkResult {
  readonly status: string;
  readonly connectionId: ConnectionId | undefined;
  readonly code: string | undefined;
}

/** Opens `linkWebUrl` in a fresh browser, logs in at the peer as `login`, follows it home. */
async function consent(linkWebUrl: string, login: string): Promise<LinkResult> {
  const browser = new LinkBrowser(viaHttp(stack.url), stack.url);
  const answer = await browser.link(linkWebUrl, login);
  const back = new URL(answer.location ?? `${RETURN_URL}?status=none`);
  const status = back.searchParams.get('status') ?? 'none';
  if (status === 'pending') return settled(back.searchParams.get('linkId') as LinkSessionId);
  return {
    status,
    connectionId: (back.searchParams.get('connectionId') ?? undefined) as ConnectionId | undefined,
    code: back.searchParams.get('code') ?? undefined,
  };
}

/** A link whose exchange outlasted the callback's wait (status=pending): its outcome. */
async function settled(linkId: LinkSessionId): Promise<LinkResult> {
  let result: LinkResult | undefined;
  await vi.waitFor(
    async () => {
      const session = await stack.db.db
        .selectFrom('link_sessions')
        .select(['status', 'result_connection_id', 'error_code'])
        .where('id', '=', linkId)
        .executeTakeFirstOrThrow();
      expect(session.status).not.toBe('exchanging');
      result = {
        status: session.status === 'completed' ? 'success' : 'error',
        connectionId: session.result_connection_id ?? undefined,
        code: session.error_code ?? undefined,
      };
    },
    { timeout: 45_000, interval: 200 },
  );
  return result!;
}

async function link(userId: string, login: string): Promise<LinkResult> {
  const created = await stack.api('POST', '/v1/links', {
    userId,
    provider: 'google-health',
    returnUrl: RETURN_URL,
  });
  expect(created.status).toBe(201);
  return consent((created.body as { linkWebUrl: string }).linkWebUrl, login);
}

async function relink(id: ConnectionId, login: string): Promise<LinkResult> {
  const created = await stack.api('POST', `/v1/connections/${id}/relink`, {
    returnUrl: RETURN_URL,
  });
  expect(created.status).toBe(201);
  return consent((created.body as { linkWebUrl: string }).linkWebUrl, login);
}

/** A link whose identity look-up fails throughout (503s): completed, identity pending. */
async function pendingLink(userId: string, login: string): Promise<ConnectionId> {
  api.failNext(LINK_LOOKUP_CALLS);
  const calls = api.calls().length;
  const result = await link(userId, login);
  expect(result.status).toBe('success');
  expect(api.calls().length - calls).toBe(LINK_LOOKUP_CALLS);
  return result.connectionId!;
}

async function row(id: ConnectionId): Promise<Connection> {
  const found = await findConnection(stack.db.db, id);
  if (found === undefined) throw new Error(`no connection ${id}`);
  return found;
}

/** Keeps the job away from a pending identity, so a re-link meets it still pending. */
async function holdLookups(id: ConnectionId): Promise<void> {
  await stack.db.db
    .updateTable('connections')
    .set({ identity_next_lookup_at: new Date(Date.now() + 3_600_000) })
    .where('id', '=', id)
    .execute();
}

async function eventsOf(
  id: ConnectionId,
  type: EventType,
): Promise<{ data: JsonObject; link_session_id: string | null }[]> {
  return stack.db.db
    .selectFrom('events')
    .select(['data', 'link_session_id'])
    .where('connection_id', '=', id)
    .where('type', '=', type)
    .orderBy('seq')
    .execute();
}

describe('a google-health link whose identity look-up fails at first', () => {
  it('completes with the identity pending, then the job names the user by healthUserId, never the sub', async () => {
    const calls = api.calls().length;
    const id = await pendingLink('app-alice', 'alice');

    // The link completed: active, tokens stored and usable, no provider user id yet.
    const linked = await row(id);
    expect(linked).toMatchObject({ status: 'active', providerUserId: null, identityAttempts: 0 });
    expect(linked.identityPendingSince).not.toBeNull();
    expect(linked.identityNextLookupAt!.getTime()).toBeGreaterThan(Date.now());
    expect(linked.refreshTokenEnc).not.toBeNull();
    const token = await stack.api('GET', `/v1/connections/${id}/token`);
    expect(token.status).toBe(200);
    expect(await introspect((token.body as { accessToken: string }).accessToken)).toBe('alice');
    const view = await stack.api('GET', `/v1/connections/${id}`);
    expect(view.body).toMatchObject({
      providerUserId: null,
      identityPendingSince: linked.identityPendingSince!.toISOString(),
    });
    const [created] = await eventsOf(id, 'connection.created');
    expect(created?.data).toMatchObject({
      providerUserId: null,
      identityLookup: 'failed',
      identityLookupError: 'provider_unavailable',
    });

    // The identity job, one backoff step later, through the sweeper and the real worker.
    await vi.waitFor(
      async () => {
        expect((await row(id)).providerUserId).toBe(api.healthUserIdOf('alice'));
      },
      { timeout: 80_000, interval: 250 },
    );
    const resolved = await row(id);
    expect(resolved.providerUserId).not.toBe('alice');
    expect(resolved).toMatchObject({
      status: 'active',
      identityPendingSince: null,
      identityNextLookupAt: null,
      metadata: { healthUserId: api.healthUserIdOf('alice') },
    });
    expect(resolved.metadata).not.toHaveProperty('identityLookup');
    expect(resolved.tokenVersion).toBe(linked.tokenVersion);
    // One request more than the link's: the job's, which the peer answered.
    expect(api.calls().slice(calls)).toEqual([
      ...Array.from({ length: LINK_LOOKUP_CALLS }, () => ({ account: undefined, status: 503 })),
      { account: 'alice', status: 200 },
    ]);
    const [event] = await eventsOf(id, 'connection.identity_resolved');
    expect(event?.data).toMatchObject({
      providerUserId: api.healthUserIdOf('alice'),
      status: 'active',
      attempts: 1,
      provider: 'google-health',
      userId: 'app-alice',
    });
    expect((await stack.api('GET', `/v1/connections/${id}`)).body).toMatchObject({
      providerUserId: api.healthUserIdOf('alice'),
      identityPendingSince: null,
    });

    // The re-link the old code refused (sub stored, healthUserId back): same account, same id.
    const again = await relink(id, 'alice');
    expect(again).toMatchObject({ status: 'success', connectionId: id });
    expect((await row(id)).providerUserId).toBe(api.healthUserIdOf('alice'));
  }, 150_000);

  it('a look-up job Redis lost is added again by the sweep, from Postgres', async () => {
    const id = await pendingLink('app-bob', 'bob');
    const calls = api.calls().length;
    // Due in 3 s: the sweep (every 0.5 s, 1 s ahead) adds its job, delayed, about 1 s early.
    await stack.db.db
      .updateTable('connections')
      .set({ identity_next_lookup_at: new Date(Date.now() + 3_000) })
      .where('id', '=', id)
      .execute();
    const queues = new JobQueues(stack.redis, stack.prefix);
    try {
      const jobId = identityJob.jobId({ connectionId: id });
      let lost = false;
      await vi.waitFor(
        async () => {
          const job = await queues.queue('identity').getJob(jobId);
          expect(await job?.getState()).toBe('delayed');
          // Redis loses it (a failover, an eviction): only Postgres still knows.
          await job!.remove();
          lost = true;
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(lost).toBe(true);
    } finally {
      await queues.close();
    }
    await vi.waitFor(
      async () => {
        expect((await row(id)).providerUserId).toBe(api.healthUserIdOf('bob'));
      },
      { timeout: 20_000, interval: 250 },
    );
    // One look-up: the sweep's new job, never a second one.
    expect(api.calls().slice(calls)).toEqual([{ account: 'bob', status: 200 }]);
  }, 60_000);
});

describe('a pending identity whose look-up keeps failing', () => {
  it('backs off: one job, its in-call retries, then nothing before the next step', async () => {
    const id = await pendingLink('app-fay', 'fay');
    api.failNext(LINK_LOOKUP_CALLS);
    const calls = api.calls().length;
    // Due in 2 s rather than one backoff step (20-50 s) after the link.
    await stack.db.db
      .updateTable('connections')
      .set({ identity_next_lookup_at: new Date(Date.now() + 2_000) })
      .where('id', '=', id)
      .execute();
    await vi.waitFor(
      async () => {
        expect((await row(id)).identityAttempts).toBe(1);
      },
      { timeout: 15_000, interval: 200 },
    );
    const failed = await row(id);
    expect(failed).toMatchObject({
      providerUserId: null,
      metadata: { identityLookup: 'failed', identityLookupError: 'provider_unavailable' },
    });
    // The next look-up is the refresh backoff's second step away: 20 s floor, at most 80 s
    // (measured from the row's write, a moment after the wait was computed).
    const wait = failed.identityNextLookupAt!.getTime() - failed.updatedAt.getTime();
    expect(wait).toBeGreaterThanOrEqual(19_000);
    expect(wait).toBeLessThanOrEqual(80_000);
    // Sweeps keep running every 0.5 s; none asks again before then.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(api.calls().length - calls).toBe(LINK_LOOKUP_CALLS);
    await holdLookups(id);
  }, 60_000);
});

describe('a re-link of a connection whose identity is still pending', () => {
  it('asks about the connection first with its own token, then lands: same account', async () => {
    const id = await pendingLink('app-carol', 'carol');
    await holdLookups(id);
    const calls = api.calls().length;
    const result = await relink(id, 'carol');
    expect(result).toMatchObject({ status: 'success', connectionId: id });
    // The new grant's look-up, and the connection's own, both naming carol.
    expect(api.calls().slice(calls)).toEqual([
      { account: 'carol', status: 200 },
      { account: 'carol', status: 200 },
    ]);
    expect(await row(id)).toMatchObject({
      status: 'active',
      providerUserId: api.healthUserIdOf('carol'),
      identityPendingSince: null,
    });
    expect(await eventsOf(id, 'connection.identity_resolved')).toHaveLength(1);
    const created = await eventsOf(id, 'connection.created');
    expect(created.at(-1)?.data).toMatchObject({
      relinked: true,
      providerUserId: api.healthUserIdOf('carol'),
    });
  }, 60_000);

  it('another account is refused once the pending identity names the connection’s own', async () => {
    const id = await pendingLink('app-dave', 'dave');
    await holdLookups(id);
    const before = await row(id);
    const result = await relink(id, 'mallory');
    expect(result).toMatchObject({ status: 'error', code: 'account_mismatch' });
    const after = await row(id);
    // Resolved by its own token, and otherwise untouched: same grant, same status.
    expect(after).toMatchObject({
      status: 'active',
      providerUserId: api.healthUserIdOf('dave'),
      identityPendingSince: null,
      accessTokenEnc: before.accessTokenEnc,
      refreshTokenEnc: before.refreshTokenEnc,
      tokenVersion: before.tokenVersion,
    });
    expect(after.providerUserId).not.toBe(api.healthUserIdOf('mallory'));
  }, 60_000);

  it('when its own token can no longer tell, the re-link’s identity becomes the connection’s', async () => {
    const id = await pendingLink('app-erin', 'erin');
    await holdLookups(id);
    await revokeAccessToken(id);
    const calls = api.calls().length;
    const result = await relink(id, 'erin');
    expect(result).toMatchObject({ status: 'success', connectionId: id });
    expect(api.calls().slice(calls)).toEqual([
      { account: 'erin', status: 200 },
      { account: undefined, status: 401 },
    ]);
    expect(await row(id)).toMatchObject({
      providerUserId: api.healthUserIdOf('erin'),
      identityPendingSince: null,
    });
  }, 60_000);

  it('a new link (no connectionId) of the same user lands on the pending connection', async () => {
    const id = await pendingLink('app-gina', 'gina');
    await holdLookups(id);
    await revokeAccessToken(id);
    const result = await link('app-gina', 'gina');
    expect(result).toMatchObject({ status: 'success', connectionId: id });
    const rows = await stack.db.db
      .selectFrom('connections')
      .select(['id', 'provider_user_id'])
      .where('user_id', '=', 'app-gina')
      .execute();
    expect(rows).toEqual([{ id, provider_user_id: api.healthUserIdOf('gina') }]);
  }, 60_000);
});

/** Revokes the connection's stored access token at the peer (RFC 7009), as a user might. */
async function revokeAccessToken(id: ConnectionId): Promise<void> {
  const accessToken = openTokens(stack.keyRing, await row(id)).accessToken!.reveal();
  const response = await fetch(peer.revocationUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      token: accessToken,
      token_type_hint: 'access_token',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    }),
  });
  expect(response.status).toBe(200);
  expect(await introspect(accessToken)).toBeUndefined();
}

/** A proxied call to the Health API peer (it answers 404 here): one call of the budget. */
async function proxied(id: ConnectionId): Promise<number> {
  return (await stack.api('GET', `/v1/connections/${id}/proxy/v4/users/me/anything`)).status;
}

/** Makes a pending identity's look-up due now, for the sweeper's next pass. */
async function lookUpNow(id: ConnectionId): Promise<void> {
  await stack.db.db
    .updateTable('connections')
    .set({ identity_next_lookup_at: new Date(Date.now() + 1_000) })
    .where('id', '=', id)
    .execute();
}

describe('identity look-ups draw from the provider budget', () => {
  it('a look-up spends a call that proxied calls then lack', async () => {
    const id = await pendingLink('app-hal', 'hal');
    await lookUpNow(id);
    await vi.waitFor(
      async () => {
        expect((await row(id)).providerUserId).toBe(api.healthUserIdOf('hal'));
      },
      { timeout: 20_000, interval: 250 },
    );
    // Two calls outside the reserve; the look-up took one of them.
    expect([await proxied(id), await proxied(id)]).toEqual([404, 429]);
  }, 60_000);

  it('with no room left, the look-up sends nothing and is tried again later as rate_limited', async () => {
    const id = await pendingLink('app-ivy', 'ivy');
    expect([await proxied(id), await proxied(id)]).toEqual([404, 404]);
    const calls = api.calls().length;
    await lookUpNow(id);
    await vi.waitFor(
      async () => {
        expect((await row(id)).identityAttempts).toBe(1);
      },
      { timeout: 20_000, interval: 250 },
    );
    const waiting = await row(id);
    expect(waiting).toMatchObject({
      providerUserId: null,
      metadata: { identityLookup: 'failed', identityLookupError: 'rate_limited' },
    });
    expect(waiting.identityNextLookupAt!.getTime()).toBeGreaterThan(Date.now());
    expect(api.calls().length).toBe(calls);
    await holdLookups(id);
  }, 60_000);
});

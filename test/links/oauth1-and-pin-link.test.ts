import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { openTokens } from '@tokenlane/lifecycle';
import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuth1Peer, type OAuth1Peer } from '../peers/oauth1-peer.js';
import { startPinPeer, type PinPeer } from '../peers/pin-peer.js';
import { RETURN_URL, dumpRedis, startStack, type Stack } from '../support/stack.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';

const GARMIN_SECRET = 'garmin-consumer-secret-91ab';
const NEST_SECRET = 'nest-client-secret-5f2e';
let oauth1: OAuth1Peer;
let pinPeer: PinPeer;
let stack: Stack;
const secrets = new Set<string>([GARMIN_SECRET, NEST_SECRET]);

beforeAll(async () => {
  oauth1 = await startOAuth1Peer({ consumers: { 'garmin-key': GARMIN_SECRET } });
  pinPeer = await startPinPeer({ clientId: 'nest-client', clientSecret: NEST_SECRET });
  stack = await startStack({
    // Built-ins pointed at local peers through the providers file.
    providers: () => ({
      garmin: {
        ...oauth1.entry('garmin-key'),
        // The OAuth 1.0a flow stays under test past Garmin's sunset (2026-12-31).
        sunsetAt: null,
      },
      'nest-legacy': {
        // Works with Nest is retired (new links refused); cleared here to test the PIN flow.
        sunsetAt: null,
        ...pinPeer.entry(),
      },
    }),
  });
}, 90_000);

afterAll(async () => {
  await stack.stop();
  await oauth1.close();
  await pinPeer.close();
});

describe('OAuth 1.0a link (Garmin shape) through ingress and worker', () => {
  it('links a user and stores token and secret encrypted', async () => {
    const created = await stack.api('POST', '/v1/links', {
      userId: 'user-g',
      provider: 'garmin',
      returnUrl: RETURN_URL,
    });
    expect(created.status).toBe(201);
    const { linkWebUrl } = created.body as { linkWebUrl: string };
    const browser = new LinkBrowser(viaHttp(stack.url), stack.url);
    const back = await oauth1.approve(await browser.toProvider(linkWebUrl));
    secrets.add(back.searchParams.get('oauth_token')!);
    secrets.add(back.searchParams.get('oauth_verifier')!);

    const response = await browser.callback(back);
    expect(response.status).toBe(302);
    const location = new URL(response.location!);
    expect(location.searchParams.get('status')).toBe('success');
    const connectionId = location.searchParams.get('connectionId')! as ConnectionId;

    const row = (await findConnection(stack.db.db, connectionId))!;
    expect(row).toMatchObject({
      status: 'active',
      providerUserId: oauth1.userId,
      refreshDueAt: null,
      expiresAt: null,
    });
    const tokens = openTokens(stack.keyRing, row);
    expect(tokens.tokenSecret).toBeDefined();
    secrets.add(tokens.accessToken!.reveal());
    secrets.add(tokens.tokenSecret!.reveal());

    const replay = await fetch(`${stack.url}/oauth/callback${back.search}`, {
      redirect: 'manual',
      headers: { cookie: browser.cookieHeader() },
    });
    expect(replay.status).toBe(401);
  });

  it('a post-link step that fails revokes the grant just issued and fails the link', async () => {
    oauth1.failUserIdLookups(400);
    try {
      const live = oauth1.liveAccessTokens();
      const created = await stack.api('POST', '/v1/links', {
        userId: 'user-g-lookup',
        provider: 'garmin',
        returnUrl: RETURN_URL,
      });
      const { linkId, linkWebUrl } = created.body as { linkId: string; linkWebUrl: string };
      const browser = new LinkBrowser(viaHttp(stack.url), stack.url);
      const back = await oauth1.approve(await browser.toProvider(linkWebUrl));
      secrets.add(back.searchParams.get('oauth_token')!);
      secrets.add(back.searchParams.get('oauth_verifier')!);
      const location = new URL((await browser.callback(back)).location!);
      expect(location.searchParams.get('status')).toBe('error');
      // The user id look-up failed after the verifier was spent: the access token it gave was
      // revoked at once (deregistration), and nothing was stored.
      expect(oauth1.liveAccessTokens()).toBe(live);
      const session = await stack.db.db
        .selectFrom('link_sessions')
        .select(['status', 'result_connection_id'])
        .where('id', '=', linkId as LinkSessionId)
        .executeTakeFirstOrThrow();
      expect(session).toEqual({ status: 'failed', result_connection_id: null });
      const users = await stack.db.db
        .selectFrom('connections')
        .select('id')
        .where('user_id', '=', 'user-g-lookup')
        .execute();
      expect(users).toEqual([]);
    } finally {
      oauth1.failUserIdLookups(undefined);
    }
  });
});

/** Sessions of the stack's database inside a transaction that began before `since`. */
async function transactionsOpenSince(since: Date) {
  const { rows } = await sql<{ state: string; query: string }>`
    select state, query from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()
      and xact_start is not null and xact_start < ${since}`.execute(stack.db.db);
  return rows;
}

describe('the OAuth 1.0a request-token call happens before any transaction', () => {
  async function linkedConnection(userId: string): Promise<ConnectionId> {
    const created = await stack.api('POST', '/v1/links', {
      userId,
      provider: 'garmin',
      returnUrl: RETURN_URL,
    });
    const browser = new LinkBrowser(viaHttp(stack.url), stack.url);
    const back = await oauth1.approve(
      await browser.toProvider((created.body as { linkWebUrl: string }).linkWebUrl),
    );
    secrets.add(back.searchParams.get('oauth_verifier')!);
    const location = new URL((await browser.callback(back)).location!);
    return location.searchParams.get('connectionId')! as ConnectionId;
  }

  // While the provider stalls, nothing may hold a pooled connection in a transaction (or the
  // per-connection lock): a slow provider would otherwise starve the pool and every re-link.
  it.each([
    [
      'a new link',
      (): [string, object] => ['/v1/links', { userId: 'user-g-new', provider: 'garmin' }],
    ],
    ['a re-link', (id: ConnectionId): [string, object] => [`/v1/connections/${id}/relink`, {}]],
  ])('%s holds no transaction while the provider stalls', async (_name, request) => {
    const id = await linkedConnection(`user-g-tx-${String(Date.now())}`);
    const hold = oauth1.holdRequestTokens();
    try {
      const [path, body] = request(id);
      const answer = stack.api('POST', path, body);
      await hold.arrived;
      const stalledAt = new Date();
      // Long enough that a transaction opened before the call would show as idle in it.
      await sleep(400);
      expect(await transactionsOpenSince(stalledAt)).toEqual([]);
      hold.release();
      expect((await answer).status).toBe(201);
    } finally {
      hold.release();
    }
  });
});

describe('PIN link (Works with Nest shape)', () => {
  it('refuses a wrong PIN with 400, keeps the link usable, then completes with the right one', async () => {
    const created = await stack.api('POST', '/v1/links', {
      userId: 'user-n',
      provider: 'nest-legacy',
    });
    expect(created.status).toBe(201);
    const link = created.body as { linkId: string; linkWebUrl: string; method: string };
    expect(link.method).toBe('pin');
    const pin = pinPeer.approve(link.linkWebUrl);
    secrets.add(pin);

    const wrong = await stack.api('POST', `/v1/links/${link.linkId}/pin`, { pin: 'WRONG-PIN' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: 'invalid_pin' } });

    const right = await stack.api('POST', `/v1/links/${link.linkId}/pin`, { pin });
    expect(right.status).toBe(200);
    const { connectionId } = right.body as { connectionId: ConnectionId; status: string };
    expect(right.body).toMatchObject({ status: 'active' });

    const row = (await findConnection(stack.db.db, connectionId))!;
    const accessToken = openTokens(stack.keyRing, row).accessToken!.reveal();
    expect(pinPeer.issued).toContain(accessToken);
    secrets.add(accessToken);
    // Long-lived token without refresh token: never scheduled.
    expect(row.refreshDueAt).toBeNull();

    const again = await stack.api('POST', `/v1/links/${link.linkId}/pin`, { pin });
    expect(again.status).toBe(409);
  });

  it('leaves no token, verifier, PIN or secret in Redis or the logs', async () => {
    const redis = await dumpRedis(stack.redis, stack.prefix);
    const logs = stack.logs().join('\n');
    expect(redis.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(redis.includes(secret), 'redis').toBe(false);
      expect(logs.includes(secret), 'logs').toBe(false);
    }
  });
});

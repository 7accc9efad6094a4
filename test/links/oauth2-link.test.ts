import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { openTokens } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ACCOUNT,
  completeInteraction,
  startOidcPeer,
  type OidcPeer,
} from '../peers/oidc-peer.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';
import { RETURN_URL, dumpRedis, startStack, type Stack } from '../support/stack.js';

const CLIENT_SECRET = 'acme-client-secret-7c1d9e';
let peer: OidcPeer;
let stack: Stack;
/** Every secret the flows below saw: none may appear in Redis or the logs. */
const secrets = new Set<string>([CLIENT_SECRET]);

interface Link {
  linkId: LinkSessionId;
  linkWebUrl: string;
  method: string;
  expiresAt: string;
  /** Where opening `linkWebUrl` in {@link browser} sent it: the provider, with the state. */
  authorizeUrl: string;
}

/** The user's browser: it opens every link below and brings every callback back. */
let browser: LinkBrowser;

beforeAll(async () => {
  stack = await startStack({
    providers: async (ingressUrl) => {
      peer = await startOidcPeer({
        requirePkce: true,
        clients: [
          {
            clientId: 'tokenlane-e2e',
            clientSecret: CLIENT_SECRET,
            redirectUris: [`${ingressUrl}/oauth/callback`],
            tokenEndpointAuthMethod: 'client_secret_basic',
          },
        ],
      });
      return {
        acme: {
          kind: 'oauth2',
          authorizationUrl: peer.authorizationUrl,
          tokenUrl: peer.tokenUrl,
          revocationUrl: peer.revocationUrl,
          clientId: 'tokenlane-e2e',
          clientSecret: CLIENT_SECRET,
          scopes: ['openid', 'offline_access'],
          authorizationParams: { prompt: 'consent' },
          tokenEndpointAuthMethod: 'client_secret_basic',
          pkce: true,
        },
      };
    },
  });
  browser = new LinkBrowser(viaHttp(stack.url), stack.url);
}, 90_000);

afterAll(async () => {
  await stack.stop();
  await peer.close();
});

async function createLink(body: Record<string, unknown> = {}): Promise<Link> {
  const response = await stack.api('POST', '/v1/links', {
    userId: 'user-1',
    provider: 'acme',
    returnUrl: RETURN_URL,
    ...body,
  });
  expect(response.status).toBe(201);
  const link = response.body as Omit<Link, 'authorizeUrl'>;
  return { ...link, authorizeUrl: await browser.toProvider(link.linkWebUrl) };
}

async function callback(url: URL | string) {
  const target = new URL(url);
  return fetch(`${stack.url}/oauth/callback${target.search}`, {
    redirect: 'manual',
    headers: { cookie: browser.cookieHeader() },
  });
}

async function counts() {
  const db = stack.db.db;
  const [connections, events, sessions] = await Promise.all([
    db.selectFrom('connections').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('events').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('link_sessions').select(['id', 'status', 'callback_at']).orderBy('id').execute(),
  ]);
  return { connections: connections.n, events: events.n, sessions };
}

describe('OAuth 2.0 link against oidc-provider, ingress and worker as separate processes', () => {
  let connectionId: string;
  let usedCallback: URL;

  it('links a user: consent at the peer, callback, exchange, redirect to returnUrl', async () => {
    const link = await createLink();
    expect(link.method).toBe('redirect');
    expect(link.linkWebUrl.startsWith(`${stack.url}/connect/`)).toBe(true);
    const authorization = new URL(link.authorizeUrl);
    expect(authorization.origin + authorization.pathname).toBe(peer.authorizationUrl);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    const state = authorization.searchParams.get('state')!;
    secrets.add(state);

    const back = await completeInteraction(link.authorizeUrl);
    expect(back.searchParams.get('state')).toBe(state);
    secrets.add(back.searchParams.get('code')!);
    usedCallback = back;

    const response = await callback(back);
    expect(response.status).toBe(302);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(RETURN_URL);
    expect(location.searchParams.get('status')).toBe('success');
    connectionId = location.searchParams.get('connectionId')!;

    const view = await stack.api('GET', `/v1/connections/${connectionId}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      id: connectionId,
      userId: 'user-1',
      provider: 'acme',
      providerUserId: TEST_ACCOUNT,
      status: 'active',
    });
    expect(view.text).not.toMatch(/token|Enc/i);
  });

  it('stores a token the peer accepts, encrypted at rest', async () => {
    const row = (await findConnection(stack.db.db, connectionId as ConnectionId))!;
    expect(row.accessTokenEnc).toMatch(/^v1\.e2e1\./);
    expect(row.refreshDueAt).not.toBeNull();
    const tokens = openTokens(stack.keyRing, row);
    secrets.add(tokens.accessToken!.reveal());
    secrets.add(tokens.refreshToken!.reveal());
    const userinfo = await fetch(peer.userinfoUrl, {
      headers: { authorization: `Bearer ${tokens.accessToken!.reveal()}` },
    });
    expect(userinfo.status).toBe(200);
    expect(((await userinfo.json()) as { sub: string }).sub).toBe(TEST_ACCOUNT);
  });

  it('writes link.created and connection.created events', async () => {
    const types = await stack.db.db.selectFrom('events').select('type').orderBy('seq').execute();
    expect(types.map((row) => row.type)).toEqual(['link.created', 'connection.created']);
  });

  it('refuses a replayed callback with 401 and changes nothing', async () => {
    const before = await counts();
    const response = await callback(usedCallback);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_state', message: expect.any(String) as string },
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses forged, missing and expired states with 401 and changes nothing', async () => {
    const link = await createLink();
    const state = new URL(link.authorizeUrl).searchParams.get('state')!;
    secrets.add(state);
    await stack.db.db
      .updateTable('link_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', link.linkId)
      .execute();
    const before = await counts();
    for (const query of [
      `?state=forged-${state.slice(6)}&code=abc`,
      '?code=abc',
      '?state=&code=abc',
      `?state=${state}&code=abc`,
      `?oauth_token=${state}&oauth_verifier=abc`,
    ]) {
      const response = await callback(`http://x/${query}`);
      expect(response.status, query).toBe(401);
    }
    expect(await counts()).toEqual(before);
  });

  it('ends the link on access_denied and sends the user back with the code', async () => {
    const link = await createLink();
    const state = new URL(link.authorizeUrl).searchParams.get('state')!;
    secrets.add(state);
    const response = await callback(`http://x/?state=${state}&error=access_denied`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      status: 'error',
      code: 'access_denied',
    });
    const events = await stack.db.db
      .selectFrom('events')
      .select(['type', 'data'])
      .where('link_session_id', '=', link.linkId)
      .orderBy('seq')
      .execute();
    expect(events.map((event) => event.type)).toEqual(['link.created', 'link.failed']);
  });

  it('refuses bad input with stable 4xx codes and never a 500', async () => {
    const cases: [string, string, unknown, number, string, Record<string, string>?][] = [
      [
        'POST',
        '/v1/links',
        { userId: 'u', provider: 'acme', returnUrl: 'https://evil.example/' },
        400,
        'return_url_not_allowed',
      ],
      [
        'POST',
        '/v1/links',
        { userId: 'u', provider: 'acme', returnUrl: 'http://127.0.0.1:9/app.evil/' },
        400,
        'return_url_not_allowed',
      ],
      ['POST', '/v1/links', { userId: 'u', provider: 'nope' }, 404, 'unknown_provider'],
      ['POST', '/v1/links', { userId: 'u', provider: 'oura' }, 422, 'provider_not_configured'],
      // Retired (its sunset passed) says so, and names the successor, configured or not.
      ['POST', '/v1/links', { userId: 'u', provider: 'fitbit' }, 410, 'provider_retired'],
      ['POST', '/v1/links', { userId: 42, provider: 'acme' }, 400, 'invalid_request'],
      ['POST', '/v1/links', { userId: 'u', provider: 'acme', extra: 1 }, 400, 'invalid_request'],
      ['POST', '/v1/links', '{"userId":', 400, 'invalid_json'],
      [
        'POST',
        '/v1/links',
        { userId: 'u', provider: 'acme', connectionId: '8d1f4b0e-5e1a-4c3b-9a2f-0d6e7c8b9a10' },
        404,
        'not_found',
      ],
      [
        'POST',
        '/v1/links',
        { userId: 'u', provider: 'acme' },
        401,
        'unauthorized',
        { authorization: 'Bearer wrong-key-0123456789' },
      ],
      ['POST', '/v1/links/not-a-link/pin', { pin: '1234' }, 404, 'not_found'],
    ];
    const before = await counts();
    for (const [method, path, body, status, code, headers] of cases) {
      const response = await stack.api(method, path, body, headers);
      expect(
        [response.status, (response.body as { error: { code: string } }).error.code],
        JSON.stringify(body),
      ).toEqual([status, code]);
    }
    const retired = await stack.api('POST', '/v1/links', { userId: 'u', provider: 'fitbit' });
    expect(retired.body).toMatchObject({ error: { successor: 'google-health' } });
    const unauthenticated = await fetch(`${stack.url}/v1/links`, { method: 'POST' });
    expect(unauthenticated.status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('leaves no token, code, state or secret in Redis or the logs', async () => {
    const haystacks = {
      redis: await dumpRedis(stack.redis, stack.prefix),
      logs: stack.logs().join('\n'),
    };
    expect(haystacks.redis.length).toBeGreaterThan(0);
    expect(haystacks.logs).toContain('"level"');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      for (const [where, text] of Object.entries(haystacks)) {
        expect(text.includes(secret), `${where} contains a secret`).toBe(false);
      }
    }
  });
});

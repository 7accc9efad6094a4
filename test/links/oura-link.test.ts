import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { openTokens } from '@tokenlane/lifecycle';
import { loadProviders } from '@tokenlane/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ACCOUNT,
  completeInteraction,
  startOidcPeer,
  type OidcPeer,
} from '../peers/oidc-peer.js';
import { waitFor } from '../revocation/support.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';
import { RETURN_URL, dumpRedis, startStack, type Stack } from '../support/stack.js';

// The built-in `oura` as tokenlane ships it, and a real oidc-provider standing in for Oura's
// new server: same paths, same issuer path, same scopes, PKCE required, refresh tokens
// without offline_access, Oura's personal_info. The providers file moves only the origin.
const CLIENT_ID = 'oura-e2e';
const CLIENT_SECRET = 'oura-e2e-client-secret-3f9a61';
const PERSONAL_INFO = '/v2/usercollection/personal_info';

const builtin = loadProviders({ publicUrl: 'http://127.0.0.1:9' }).get('oura');
if (builtin?.kind !== 'oauth2' || builtin.issuer === undefined) {
  throw new Error('the built-in oura is an OAuth 2.0 provider with an issuer');
}
const oura = { ...builtin, issuer: builtin.issuer, revocationUrl: builtin.revocationUrl ?? '' };
const pathOf = (url: string) => new URL(url).pathname;

let peer: OidcPeer;
let stack: Stack;
let browser: LinkBrowser;
/** Every secret the flows below saw: none may appear in Redis or the logs. */
const secrets = new Set<string>([CLIENT_SECRET]);

beforeAll(async () => {
  stack = await startStack({
    providers: async (ingressUrl) => {
      peer = await startOidcPeer({
        requirePkce: true,
        issuerPath: pathOf(oura.issuer),
        routes: {
          authorization: pathOf(oura.authorizationUrl),
          token: pathOf(oura.tokenUrl),
          revocation: pathOf(oura.revocationUrl),
        },
        scopes: oura.scopes,
        refreshWithoutOfflineAccess: true,
        resources: { [PERSONAL_INFO]: (accountId) => ({ id: accountId, age: 31 }) },
        clients: [
          {
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            redirectUris: [`${ingressUrl}/oauth/callback`],
            // The peer takes only the method the built-in uses.
            tokenEndpointAuthMethod: oura.tokenEndpointAuthMethod,
          },
        ],
      });
      const onPeer = (url: string) => new URL(pathOf(url), peer.origin).href;
      return {
        oura: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          authorizationUrl: onPeer(oura.authorizationUrl),
          tokenUrl: onPeer(oura.tokenUrl),
          revocationUrl: onPeer(oura.revocationUrl),
          issuer: onPeer(oura.issuer),
          apiBaseUrl: peer.origin,
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

async function callback(url: URL) {
  return fetch(`${stack.url}/oauth/callback${url.search}`, {
    redirect: 'manual',
    headers: { cookie: browser.cookieHeader() },
  });
}

const withIss = (back: URL, iss: string | undefined) => {
  const changed = new URL(back);
  if (iss === undefined) changed.searchParams.delete('iss');
  else changed.searchParams.set('iss', iss);
  return changed;
};

describe('an Oura link through endpoints shaped like Oura’s new server', () => {
  let connectionId: ConnectionId;

  it('authorizes at /oauth/v2/ext/oauth-authorize with S256 and the extapi scopes', async () => {
    expect(peer.issuer).toBe(`${peer.origin}/oauth/v2/ext/oauth-anonymous`);
    const created = await stack.api('POST', '/v1/links', {
      userId: 'user-oura',
      provider: 'oura',
      returnUrl: RETURN_URL,
    });
    expect(created.status).toBe(201);
    const authorization = new URL(
      await browser.toProvider((created.body as { linkWebUrl: string }).linkWebUrl),
    );
    expect(authorization.origin + authorization.pathname).toBe(
      `${peer.origin}/oauth/v2/ext/oauth-authorize`,
    );
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('scope')).toBe(oura.scopes.join(' '));
    const state = authorization.searchParams.get('state')!;
    secrets.add(state);

    const back = await completeInteraction(authorization.href);
    secrets.add(back.searchParams.get('code')!);
    expect(back.searchParams.get('iss')).toBe(peer.issuer);

    // Checked before the state is spent: a redirect naming another issuer, or none, is
    // refused and the real one still completes.
    for (const iss of ['https://moi.ouraring.com/oauth/v2/ext/oauth-anonymous', undefined]) {
      const refused = await callback(withIss(back, iss));
      expect(refused.status, `iss=${String(iss)}`).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: 'invalid_state' } });
    }

    const response = await callback(back);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('status')).toBe('success');
    connectionId = location.searchParams.get('connectionId') as ConnectionId;
    const view = await stack.api('GET', `/v1/connections/${connectionId}`);
    // The user id is Oura's personal_info `id`, read with the new access token.
    expect(view.body).toMatchObject({
      provider: 'oura',
      providerUserId: TEST_ACCOUNT,
      status: 'active',
    });
  });

  it('refreshes at /oauth/v2/ext/oauth-token, taking the rotated refresh token', async () => {
    const before = (await findConnection(stack.db.db, connectionId))!;
    const old = openTokens(stack.keyRing, before).refreshToken!.reveal();
    secrets.add(old);
    expect((await stack.api('POST', `/v1/connections/${connectionId}/refresh`)).status).toBe(202);
    const after = await waitFor(async () => {
      const row = (await findConnection(stack.db.db, connectionId))!;
      return row.tokenVersion > before.tokenVersion ? row : undefined;
    }, 30_000);
    const fresh = openTokens(stack.keyRing, after);
    secrets.add(fresh.refreshToken!.reveal());
    secrets.add(fresh.accessToken!.reveal());
    expect(fresh.refreshToken!.reveal()).not.toBe(old);
    expect(await activeAtPeer(fresh.refreshToken!.reveal())).toBe(true);
  });

  it('revokes at /oauth/v2/ext/oauth-revoke: the peer honors neither token after', async () => {
    const tokens = openTokens(stack.keyRing, (await findConnection(stack.db.db, connectionId))!);
    expect((await stack.api('DELETE', `/v1/connections/${connectionId}`)).status).toBe(202);
    await waitFor(async () => {
      const row = (await findConnection(stack.db.db, connectionId))!;
      return row.status === 'revoked' ? row : undefined;
    }, 30_000);
    const events = await stack.db.db
      .selectFrom('events')
      .select('data')
      .where('connection_id', '=', connectionId)
      .where('type', '=', 'connection.revoked')
      .execute();
    expect(events.map((event) => (event.data as { confirmed?: boolean }).confirmed)).toEqual([
      true,
    ]);
    expect(await activeAtPeer(tokens.refreshToken!.reveal())).toBe(false);
    expect(await activeAtPeer(tokens.accessToken!.reveal())).toBe(false);
  });

  it('leaves no token, code, state or secret in Redis or the logs', async () => {
    const haystacks = {
      redis: await dumpRedis(stack.redis, stack.prefix),
      logs: stack.logs().join('\n'),
    };
    for (const secret of secrets) {
      for (const [where, text] of Object.entries(haystacks)) {
        expect(text.includes(secret), `${where} contains a secret`).toBe(false);
      }
    }
  });
});

/** Whether the peer still honors `token` (introspection, authenticated as the test's client). */
async function activeAtPeer(token: string): Promise<boolean> {
  const credentials = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
  const response = await fetch(peer.introspectionUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${credentials}`,
    },
    body: new URLSearchParams({ token }),
  });
  return ((await response.json()) as { active: boolean }).active;
}

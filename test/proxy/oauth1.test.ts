import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { openTokens } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuth1Peer, type OAuth1Peer } from '../peers/oauth1-peer.js';
import { oauth1Verifier } from '../peers/oauth1-verify.js';
import { startResourcePeer, type ResourcePeer } from '../peers/resource-peer.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';
import { API_KEY, RETURN_URL, startStack, type Stack } from '../support/stack.js';
import { PROXY_KEY } from './support.js';

const CONSUMER_SECRET = 'legacy-consumer-secret-0123456789';
let oauth1: OAuth1Peer;
let api: ResourcePeer;
let stack: Stack;
let id: ConnectionId;
/** The token secrets the resource peer knows (read from tokenlane's own row, as a provider would). */
const secrets = new Map<string, string>();

beforeAll(async () => {
  oauth1 = await startOAuth1Peer({ consumers: { 'legacy-key': CONSUMER_SECRET } });
  // Signatures are checked by oauth-sign, not by the oauth-1.0a library that signs them.
  const verify = oauth1Verifier({ consumers: { 'legacy-key': CONSUMER_SECRET } });
  api = await startResourcePeer({
    authorize: (req, body) => 'params' in verify(req, body, (token) => secrets.get(token)),
  });
  stack = await startStack({
    env: { TOKENLANE_API_KEYS: `${API_KEY},backend:proxy:${PROXY_KEY}` },
    providers: () => ({
      legacy: { ...oauth1.entry('legacy-key'), kind: 'oauth1', apiBaseUrl: api.apiBaseUrl },
    }),
  });
  const created = await stack.api('POST', '/v1/links', {
    userId: 'legacy-user',
    provider: 'legacy',
    returnUrl: RETURN_URL,
  });
  const browser = new LinkBrowser(viaHttp(stack.url), stack.url);
  const back = await oauth1.approve(
    await browser.toProvider((created.body as { linkWebUrl: string }).linkWebUrl),
  );
  const location = new URL((await browser.callback(back)).location!);
  id = location.searchParams.get('connectionId')! as ConnectionId;
  const tokens = openTokens(stack.keyRing, (await findConnection(stack.db.db, id))!);
  secrets.set(tokens.accessToken!.reveal(), tokens.tokenSecret!.reveal());
}, 90_000);

afterAll(async () => {
  await stack.stop();
  await api.close();
  await oauth1.close();
});

const proxied = (method: string, path: string, body?: string, headers = {}) =>
  stack.api(method, `/v1/connections/${id}/proxy/${path}`, body, {
    authorization: `Bearer ${PROXY_KEY}`,
    ...headers,
  });

describe('OAuth 1.0a calls through the proxy', () => {
  it('signs method, URL and query so that an independent verifier accepts them', async () => {
    const answer = await proxied('GET', 'echo/days?from=2026-01-01&to=2026-01-31&q=a%20b');
    expect(answer.status).toBe(200);
    const [seen] = api.requests();
    expect(seen?.authorized).toBe(true);
    expect(seen?.headers.authorization).toMatch(/^OAuth .*oauth_signature_method="HMAC-SHA1"/);
    expect(answer.headers.get('tokenlane-connection-status')).toBe('active');
  });

  it('signs a form body too', async () => {
    api.clear();
    const answer = await proxied('POST', 'echo/form', 'a=1&b=two+words&c=%2F', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(200);
    expect(api.requests()[0]?.authorized).toBe(true);
    expect(api.requests()[0]?.body).toBe('a=1&b=two+words&c=%2F');
  });

  it('a signature made for another form fails the verifier (the check is real)', async () => {
    api.clear();
    const response = await fetch(`${api.apiBaseUrl}/echo/x`, {
      headers: {
        authorization:
          'OAuth oauth_consumer_key="legacy-key", oauth_nonce="n1", oauth_signature="bad", oauth_signature_method="HMAC-SHA1", oauth_timestamp="' +
          String(Math.floor(Date.now() / 1000)) +
          '", oauth_version="1.0"',
      },
    });
    expect(response.status).toBe(401);
  });
});

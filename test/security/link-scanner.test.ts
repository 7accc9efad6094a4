import type { LinkSessionId } from '@tokenlane/core';
import { exchangeLink } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETURN_URL, openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * Link scanners (issue 23): mail and chat scanners fetch every URL in a message before the
 * user does. `GET /connect/<id>` only shows a page (the app, the provider, a button); the
 * button's POST spends the link. A link fetched twice by a scanner still completes in the
 * user's browser, and another site cannot press the button for the user.
 */
const APP_NAME = 'Acme <Health> & Co';
let world: SecurityWorld;

beforeAll(async () => {
  world = await openSecurityWorld({ TOKENLANE_APP_NAME: APP_NAME }, (acme) => ({
    acme: { ...acme, displayName: 'Acme "Cloud"' },
  }));
}, 60_000);

afterAll(async () => {
  await world.close();
});

async function createLink(userId: string) {
  const created = await world.api('POST', '/v1/links', {
    userId,
    provider: 'acme',
    returnUrl: RETURN_URL,
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ linkId: LinkSessionId; linkWebUrl: string }>();
}

const session = (id: LinkSessionId) =>
  world.rt.db
    .selectFrom('link_sessions')
    .select(['status', 'opened_at', 'browser_nonce_hash', 'callback_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const scan = (path: string, headers: Record<string, string> = {}) =>
  world.app.inject({ method: 'GET', url: path, headers });

describe('a link fetched by a scanner', () => {
  it('GET shows the app and the provider, escaped, with a POST button, and changes nothing', async () => {
    const link = await createLink('app-sam');
    const path = new URL(link.linkWebUrl).pathname;
    const before = await session(link.linkId);
    for (const headers of [{}, { accept: 'text/html' }]) {
      const page = await scan(path, headers);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['set-cookie']).toBeUndefined();
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['referrer-policy']).toBe('same-origin');
      expect(page.headers['content-security-policy']).toMatch(
        /^default-src 'none'; style-src 'sha256-/,
      );
      expect(page.body).toContain('Acme &lt;Health&gt; &amp; Co');
      expect(page.body).toContain('Continue to Acme &quot;Cloud&quot;');
      expect(page.body).toContain('<form method="post">');
      expect(page.body).not.toContain('<script');
      expect(page.body).not.toContain(path.split('/').pop()!);
      expect(page.body).not.toContain(world.peer.authorizationUrl);
    }
    expect(await session(link.linkId)).toEqual(before);
    expect(before.opened_at).toBeNull();
  });

  it('fetched twice by a scanner, the link still completes in the user’s browser', async () => {
    const link = await createLink('app-tia');
    const path = new URL(link.linkWebUrl).pathname;
    for (let i = 0; i < 2; i += 1) expect((await scan(path)).statusCode).toBe(200);
    const browser = world.browser();
    const back = await browser.authorize(link.linkWebUrl, 'tia-at-acme');
    const done = await browser.callback(back);
    expect(done.status, done.body).toBe(302);
    const outcome = await exchangeLink(world.rt, link.linkId);
    expect(outcome.status).toBe('completed');
  });

  it('another site cannot press the button: 403, no cookie, the link left for the user', async () => {
    const link = await createLink('app-uma');
    const path = new URL(link.linkWebUrl).pathname;
    for (const headers of [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ]) {
      const answer = await world.app.inject({
        method: 'POST',
        url: path,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: '',
      });
      expect(answer.statusCode).toBe(403);
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
    expect((await session(link.linkId)).opened_at).toBeNull();
    const opened = await world.browser().open(link.linkWebUrl);
    expect(opened.status).toBe(303);
    expect(opened.location?.startsWith(world.peer.authorizationUrl)).toBe(true);
  });
});

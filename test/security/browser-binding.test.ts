import type { LinkSessionId } from '@tokenlane/core';
import { linkCookieName } from '@tokenlane/ingress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInteraction } from '../peers/oidc-peer.js';
import { stateCounts } from '../reliability/support.js';
import { RETURN_URL, openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * Links bound to the browser that opens them (RFC 9700 §4.7): `linkWebUrl` is tokenlane's
 * `/connect/<id>`, whose page posts back, and the post sets a cookie and redirects to the
 * provider; the callback needs that
 * cookie's nonce with the state. Each attack asserts that nothing changed.
 */
let world: SecurityWorld;

beforeAll(async () => {
  world = await openSecurityWorld();
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

const html = { accept: 'text/html,application/xhtml+xml' };

describe('links bound to the opening browser', () => {
  it('linkWebUrl is a one-time tokenlane URL that sets the link cookie', async () => {
    const link = await createLink('app-nia');
    expect(link.linkWebUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/connect\/[\w-]{43}$/);
    const browser = world.browser();
    const opened = await browser.open(link.linkWebUrl);
    expect(opened.status).toBe(303);
    expect(opened.location?.startsWith(world.peer.authorizationUrl)).toBe(true);
    // Plain-HTTP development: no __Host- prefix and no Secure, which browsers refuse there.
    expect(opened.setCookie).toHaveLength(1);
    expect(opened.setCookie[0]).toMatch(
      new RegExp(
        `^tokenlane-link-${link.linkId}=[\\w-]{43}; Path=/; Max-Age=\\d+; HttpOnly; SameSite=Lax$`,
      ),
    );
    expect(linkCookieName('https://tokenlane.example', link.linkId)).toBe(
      `__Host-tokenlane-link-${link.linkId}`,
    );
  });

  it('a callback brought to a second browser fails with a page and changes nothing', async () => {
    const link = await createLink('app-oli');
    const victim = world.browser();
    const back = await victim.authorize(link.linkWebUrl, 'oli-at-acme');
    const before = await stateCounts(world.rt);
    // The attacker has the victim's redirect (code and state) but not the victim's cookie.
    for (const attacker of [world.browser(), world.browser()]) {
      const answer = await world.app.inject({
        method: 'GET',
        url: `${back.pathname}${back.search}`,
        headers: { ...html, cookie: attacker.cookieHeader() },
      });
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['content-type']).toContain('text/html');
      expect(answer.body).toContain('opened in another browser');
    }
    // A forged cookie of the right name does not do either.
    const forged = await world.app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { cookie: `tokenlane-link-${link.linkId}=${'A'.repeat(43)}` },
    });
    expect(forged.statusCode).toBe(401);
    expect(await stateCounts(world.rt)).toEqual(before);
    // The victim's own browser still completes it.
    const done = await victim.callback(back);
    expect(done.status).toBe(302);
    expect(new URL(done.location!).searchParams.get('status')).toBe('pending');
  });

  it('a link opened twice: the second opening gets a page and changes nothing', async () => {
    const link = await createLink('app-pia');
    const first = world.browser();
    const opened = await first.open(link.linkWebUrl);
    expect(opened.status).toBe(303);
    const before = await stateCounts(world.rt);
    for (const again of [world.browser(), first]) {
      for (const method of ['GET', 'POST'] as const) {
        const answer = await world.app.inject({
          method,
          url: new URL(link.linkWebUrl).pathname,
          headers: { ...html, cookie: again.cookieHeader() },
        });
        expect(answer.statusCode).toBe(409);
        expect(answer.headers['set-cookie']).toBeUndefined();
        expect(answer.body).toContain('already opened');
      }
    }
    expect(await stateCounts(world.rt)).toEqual(before);
    // The browser that opened it first still completes it.
    const back = await completeInteraction(opened.location!, { login: 'pia-at-acme' });
    expect((await first.callback(back)).status).toBe(302);
  });

  it('an unknown or expired connect id is refused without a cookie', async () => {
    const link = await createLink('app-quinn');
    await world.rt.db
      .updateTable('link_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', link.linkId)
      .execute();
    for (const path of [new URL(link.linkWebUrl).pathname, `/connect/${'x'.repeat(43)}`]) {
      for (const method of ['GET', 'POST'] as const) {
        const answer = await world.app.inject({ method, url: path });
        expect([answer.statusCode, answer.json<{ error: { code: string } }>().error.code]).toEqual([
          409,
          'conflict',
        ]);
        expect(answer.headers['set-cookie']).toBeUndefined();
      }
    }
  });

  it('never logs a connect id', async () => {
    const link = await createLink('app-ray');
    await world.browser().open(link.linkWebUrl);
    const connectId = new URL(link.linkWebUrl).pathname.split('/').pop()!;
    expect(world.logs.join('\n')).not.toContain(connectId);
    expect(world.logs.join('\n')).toContain('/connect/[redacted]');
  });
});

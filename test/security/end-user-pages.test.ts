import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { wordsFor, type Language, type Outcome } from '@tokenlane/ingress';
import { requireReauth } from '@tokenlane/lifecycle';
import { startWorkers } from '@tokenlane/queue';
import type { Worker } from 'bullmq';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareExchangeJob, openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * The pages a user's browser sees (issue 26): each callback outcome without a returnUrl and
 * each refused link is a page naming the app and the provider, saying what happened and what
 * to do next, in the browser's language, under a strict CSP, with the status codes the API
 * has always had. No code, id or state ever shows on a page.
 */
const APP_NAME = 'Acme <Health> & "Co"';
const ESCAPED_APP = 'Acme &lt;Health&gt; &amp; &quot;Co&quot;';
const LOGO_URL = 'https://cdn.acme.example/logo.svg';
const SUPPORT_URL = 'https://help.acme.example/';
let world: SecurityWorld;

beforeAll(async () => {
  world = await openSecurityWorld(
    {
      TOKENLANE_APP_NAME: APP_NAME,
      TOKENLANE_APP_LOGO_URL: LOGO_URL,
      TOKENLANE_SUPPORT_URL: SUPPORT_URL,
      // Long enough for the worker below to finish an exchange while the callback waits.
      TOKENLANE_CALLBACK_WAIT_MS: '8000',
    },
    (acme) => ({ acme: { ...acme, displayName: 'Acme Cloud' } }),
  );
}, 60_000);

afterAll(async () => {
  await world.close();
});

const html = (language: string) => ({
  accept: 'text/html,application/xhtml+xml',
  'accept-language': language,
});

/** A link with no returnUrl (the user lands on tokenlane's own page). */
async function linkWithoutReturn(userId: string) {
  const created = await world.api('POST', '/v1/links', { userId, provider: 'acme' });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ linkId: LinkSessionId; linkWebUrl: string }>();
}

/** The page's headers and words: status, language, CSP, app, provider, the outcome's title. */
function expectPage(
  answer: LightMyRequestResponse,
  status: number,
  language: Language,
  outcome: Outcome,
  secrets: readonly string[] = [],
) {
  const names = { app: APP_NAME, provider: 'Acme Cloud' };
  const words = wordsFor(language).outcomes[outcome];
  const escape = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  expect(answer.statusCode, answer.body).toBe(status);
  expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(answer.headers['content-language']).toBe(language);
  expect(answer.headers['content-security-policy']).toMatch(
    /^default-src 'none'; style-src 'sha256-[\w+/=]+'; img-src https:\/\/cdn\.acme\.example; base-uri 'none'; frame-ancestors 'none'$/,
  );
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.body).toContain(`<html lang="${language}">`);
  expect(answer.body).toContain(ESCAPED_APP);
  expect(answer.body).not.toContain(APP_NAME);
  expect(answer.body).toContain(escape(words.title(names)));
  expect(answer.body).toContain(escape(words.next(names)));
  expect(answer.body).toContain(`<img src="${LOGO_URL}"`);
  expect(answer.body).toContain(`<a href="${SUPPORT_URL}">`);
  expect(answer.body).not.toMatch(/<script|\bon\w+=/i);
  for (const secret of secrets) expect(answer.body).not.toContain(secret);
}

describe('callback outcomes without a returnUrl', () => {
  // The callback waits on the exchange job: a worker runs it for these tests.
  let workers: Worker[] = [];
  beforeAll(() => {
    workers = startWorkers([bareExchangeJob], world.rt, {
      connection: world.rt.workerConnection,
      prefix: world.rt.config.queuePrefix,
      concurrency: { exchange: 2 },
    });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
  });

  it.each([
    ['de', 'de-DE,de;q=0.9,en;q=0.5'],
    ['ja', 'ja'],
  ] as const)('connected, in %s', async (language, header) => {
    const link = await linkWithoutReturn(`app-connected-${language}`);
    const browser = world.browser();
    const back = await browser.authorize(link.linkWebUrl, `connected-${language}`);
    const answer = await world.app.inject({
      url: `${back.pathname}${back.search}`,
      headers: { ...html(header), cookie: browser.cookieHeader() },
    });
    expectPage(answer, 200, language, 'connected', [
      back.searchParams.get('code')!,
      back.searchParams.get('state')!,
      link.linkId,
    ]);
  });

  it.each([
    ['fr', 'fr-CA, fr;q=0.9'],
    ['es', 'es-419, en;q=0.1'],
  ] as const)('account_mismatch on a re-link, in %s', async (language, header) => {
    const id: ConnectionId = await world.link(`app-mismatch-${language}`, `owner-${language}`);
    await requireReauth(world.rt, (await findConnection(world.rt.db, id))!, 'invalid_grant');
    const relink = await world.api('POST', `/v1/connections/${id}/relink`, {});
    expect(relink.statusCode, relink.body).toBe(201);
    const browser = world.browser();
    const back = await browser.authorize(
      relink.json<{ linkWebUrl: string }>().linkWebUrl,
      `someone-else-${language}`,
    );
    const answer = await world.app.inject({
      url: `${back.pathname}${back.search}`,
      headers: { ...html(header), cookie: browser.cookieHeader() },
    });
    expectPage(answer, 200, language, 'account_mismatch');
  });
});

describe('outcomes the callback knows at once', () => {
  /** Opens a link in a fresh browser: the provider URL's state, and the browser. */
  async function opened(userId: string) {
    const link = await linkWithoutReturn(userId);
    const browser = world.browser();
    const at = new URL(await browser.toProvider(link.linkWebUrl));
    return { link, browser, state: at.searchParams.get('state')! };
  }

  it.each([
    ['access_denied', 'denied', 'en', 'en-GB'],
    ['access_denied', 'denied', 'ja', 'ja-JP, en;q=0.8'],
    ['server_error', 'provider_error', 'de', 'de'],
    ['temporarily_unavailable', 'provider_error', 'es', 'it, es;q=0.3'],
  ] as const)('%s reads as %s, in %s', async (error, outcome, language, header) => {
    const { browser, state } = await opened(`app-${error}-${language}`);
    const answer = await world.app.inject({
      url: `/oauth/callback?state=${state}&error=${error}`,
      headers: { ...html(header), cookie: browser.cookieHeader() },
    });
    expectPage(answer, 200, language, outcome, [state]);
  });

  it.each([
    ['en', undefined],
    ['fr', 'fr'],
  ] as const)(
    'pending while the exchange runs on, in %s',
    async (language, header) => {
      // No worker in this block: the callback waits its time, then says "almost done".
      const short = await openSecurityWorld(
        {
          TOKENLANE_APP_NAME: APP_NAME,
          TOKENLANE_APP_LOGO_URL: LOGO_URL,
          TOKENLANE_SUPPORT_URL: SUPPORT_URL,
        },
        (acme) => ({ acme: { ...acme, displayName: 'Acme Cloud' } }),
      );
      try {
        const created = await short.api('POST', '/v1/links', {
          userId: 'app-pending',
          provider: 'acme',
        });
        const browser = short.browser();
        const back = await browser.authorize(
          created.json<{ linkWebUrl: string }>().linkWebUrl,
          'p',
        );
        const answer = await short.app.inject({
          url: `${back.pathname}${back.search}`,
          headers: {
            accept: 'text/html',
            ...(header === undefined ? {} : { 'accept-language': header }),
            cookie: browser.cookieHeader(),
          },
        });
        expectPage(answer, 200, language, 'pending');
      } finally {
        await short.close();
      }
    },
    60_000,
  );
});

describe('refused links', () => {
  it.each([
    ['en', 'zz, en-US;q=0.2'],
    ['de', 'de-AT'],
  ] as const)('a redirect brought to another browser, in %s', async (language, header) => {
    const link = await linkWithoutReturn(`app-other-${language}`);
    const back = await world.browser().authorize(link.linkWebUrl, `other-${language}`);
    const answer = await world.app.inject({
      url: `${back.pathname}${back.search}`,
      headers: html(header),
    });
    expectPage(answer, 401, language, 'other_browser', [back.searchParams.get('code')!]);
  });

  it.each([
    ['ja', 'ja'],
    ['es', 'es'],
  ] as const)('a redirect used twice, and a link opened twice, in %s', async (language, header) => {
    const link = await linkWithoutReturn(`app-used-${language}`);
    const browser = world.browser();
    const at = new URL(await browser.toProvider(link.linkWebUrl));
    // Ended at once (the user said no), so the replay below finds the state spent.
    const url = `/oauth/callback?state=${at.searchParams.get('state')!}&error=access_denied`;
    const first = await world.app.inject({
      url,
      headers: { ...html(header), cookie: browser.cookieHeader() },
    });
    expect(first.statusCode).toBe(200);
    const again = await world.app.inject({
      url,
      headers: { ...html(header), cookie: browser.cookieHeader() },
    });
    expectPage(again, 401, language, 'link_used');
    for (const method of ['GET', 'POST'] as const) {
      const connect = await world.app.inject({
        method,
        url: new URL(link.linkWebUrl).pathname,
        headers: html(header),
      });
      expectPage(connect, 409, language, 'link_used');
    }
  });

  it.each([
    ['fr', 'fr'],
    ['en', 'pt-BR'],
  ] as const)('an expired link, in %s', async (language, header) => {
    const link = await linkWithoutReturn(`app-expired-${language}`);
    await world.rt.db
      .updateTable('link_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', link.linkId)
      .execute();
    const answer = await world.app.inject({
      url: new URL(link.linkWebUrl).pathname,
      headers: html(header),
    });
    expectPage(answer, 409, language, 'link_expired');
  });

  it.each([
    ['de', 'de'],
    ['ja', 'ja;q=0.9, *;q=0.1'],
  ] as const)('an unknown link or state, in %s', async (language, header) => {
    for (const [url, status] of [
      [`/connect/${'x'.repeat(43)}`, 409],
      [`/oauth/callback?state=${'y'.repeat(43)}&code=abc`, 401],
      ['/oauth/callback', 401],
    ] as const) {
      const answer = await world.app.inject({ url, headers: html(header) });
      expect(answer.statusCode).toBe(status);
      expect(answer.headers['content-language']).toBe(language);
      expect(answer.body).toContain(
        wordsFor(language).outcomes.unknown_link.title({ app: '', provider: '' }),
      );
      expect(answer.body).toContain(ESCAPED_APP);
    }
  });

  it('API clients still get JSON errors', async () => {
    const answer = await world.app.inject({ url: `/connect/${'x'.repeat(43)}` });
    expect(answer.statusCode).toBe(409);
    expect(answer.json<{ error: { code: string } }>().error.code).toBe('conflict');
  });
});

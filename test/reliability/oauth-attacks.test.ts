import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { checkReturnUrl, exchangeLink, revokeConnection } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInteraction } from '../peers/oidc-peer.js';
import { LinkBrowser, viaInject } from '../support/link-browser.js';
import { TEST_PUBLIC_URL } from '../support/runtime.js';
import {
  ALLOWED_RETURN_PREFIX,
  API_KEY,
  CALLBACK_URL,
  RETURN_URL,
  WEBHOOK_SECRET,
  errorCodeOf,
  openHostileWorld,
  signNotice,
  stateCounts,
  type HostileWorld,
} from './support.js';

/**
 * RFC 9700 (OAuth 2.0 Security BCP) attacks against the link flow, in-process: `buildApp` +
 * `inject` for the HTTP edges, `exchangeLink` for the worker's step, two real oidc-provider
 * peers (A requires PKCE, B does not) behind two custom providers (`acme`, `beta`).
 * Forged, missing, expired and replayed states are in test/links/oauth2-link.test.ts.
 */
let world: HostileWorld;
/**
 * One browser for the whole file: links here are opened where they are completed, so each
 * attack below is met by the defence it is about (PKCE, state, iss, returnUrl), not by the
 * browser binding (test/security/browser-binding.test.ts).
 */
let browser: LinkBrowser;

beforeAll(async () => {
  world = await openHostileWorld();
  browser = new LinkBrowser(viaInject(world.app), TEST_PUBLIC_URL);
}, 60_000);

afterAll(async () => {
  await world.close();
});

interface Link {
  readonly linkId: LinkSessionId;
  readonly linkWebUrl: string;
  readonly state: string;
}

async function createLink(userId: string, provider: string): Promise<Link> {
  const response = await world.app.inject({
    method: 'POST',
    url: '/v1/links',
    headers: { authorization: `Bearer ${API_KEY}` },
    payload: { userId, provider, returnUrl: RETURN_URL },
  });
  expect(response.statusCode, response.body).toBe(201);
  const link = JSON.parse(response.body) as { linkId: LinkSessionId; linkWebUrl: string };
  // Opened in the file's browser: from here on, linkWebUrl is the provider URL it went to.
  const linkWebUrl = await browser.toProvider(link.linkWebUrl);
  const state = new URL(linkWebUrl).searchParams.get('state');
  if (state === null) throw new Error('no state in the authorization URL');
  return { ...link, linkWebUrl, state };
}

async function callback(params: Record<string, string>) {
  return world.app.inject({
    method: 'GET',
    url: `/oauth/callback?${new URLSearchParams(params).toString()}`,
    headers: { cookie: browser.cookieHeader() },
  });
}

/** The user consents at the peer; returns what the peer sent back (`code`, `state`, `iss`). */
async function consent(url: string, login: string): Promise<Record<string, string>> {
  const back = await completeInteraction(url, { login });
  expect(back.origin + back.pathname).toBe(CALLBACK_URL);
  return Object.fromEntries(back.searchParams);
}

async function session(id: LinkSessionId) {
  return world.rt.db
    .selectFrom('link_sessions')
    .select(['status', 'error_code', 'result_connection_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function eventTypes(id: LinkSessionId) {
  const rows = await world.rt.db
    .selectFrom('events')
    .select('type')
    .where('link_session_id', '=', id)
    .orderBy('seq')
    .execute();
  return rows.map((row) => row.type);
}

async function connectionsOf(providerUserId: string) {
  return world.rt.db
    .selectFrom('connections')
    .select(['id', 'user_id', 'provider'])
    .where('provider_user_id', '=', providerUserId)
    .execute();
}

describe('RFC 9700 attacks on the link flow', () => {
  it('baseline: an honest link completes, the user lands on returnUrl only', async () => {
    const link = await createLink('app-alice', 'acme');
    const back = await consent(link.linkWebUrl, 'alice-at-acme');
    const response = await callback(back);
    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(location.origin + location.pathname).toBe(RETURN_URL);
    expect(await exchangeLink(world.rt, link.linkId)).toMatchObject({ status: 'completed' });
    expect(await connectionsOf('alice-at-acme')).toMatchObject([
      { user_id: 'app-alice', provider: 'acme' },
    ]);
  });

  it('PKCE: every authorization URL carries an S256 challenge, never plain', async () => {
    for (const provider of ['acme', 'beta']) {
      for (let i = 0; i < 5; i += 1) {
        const url = new URL((await createLink(`pkce-${String(i)}`, provider)).linkWebUrl);
        expect(url.searchParams.get('code_challenge_method')).toBe('S256');
        expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
        expect(url.searchParams.get('state')).toMatch(/^[\w-]{43,}$/);
      }
    }
  });

  it('CSRF, state swapped between users: B’s code under A’s state creates no connection', async () => {
    // A (the attacker) starts a link; B, the victim, authorizes at the provider for B's own
    // link. The attacker replays B's code with A's state: the state names A's session, whose
    // PKCE verifier does not match B's code, so the exchange fails and nobody is linked.
    const linkA = await createLink('app-user-a', 'acme');
    const linkB = await createLink('app-user-b', 'acme');
    const backB = await consent(linkB.linkWebUrl, 'victim-b');
    expect(backB.state).toBe(linkB.state);

    const swapped = await callback({ ...backB, state: linkA.state });
    expect(swapped.statusCode).toBe(302);
    expect(await exchangeLink(world.rt, linkA.linkId)).toMatchObject({ status: 'failed' });
    expect(await session(linkA.linkId)).toMatchObject({
      status: 'failed',
      error_code: 'invalid_grant',
      result_connection_id: null,
    });
    expect(await eventTypes(linkA.linkId)).toEqual(['link.created', 'link.failed']);
    expect(await connectionsOf('victim-b')).toEqual([]);
    // B's own link is untouched: its state is still unused and single-use.
    expect(await session(linkB.linkId)).toMatchObject({ status: 'pending' });
    // A's state is spent: a second try is a plain 401.
    const again = await callback({ ...backB, state: linkA.state });
    expect([again.statusCode, errorCodeOf(again)]).toEqual([401, 'invalid_state']);
  });

  it('code injection: a code issued to session 1 fails under session 2 (PKCE binds it)', async () => {
    // beta's peer does not require PKCE; tokenlane sends a challenge anyway, and that binds.
    const one = await createLink('app-carol', 'beta');
    const two = await createLink('app-carol', 'beta');
    const backOne = await consent(one.linkWebUrl, 'carol-at-beta');
    const sentBefore = world.betaRecorder.bodies.length;
    const injected = await callback({ ...backOne, state: two.state });
    expect(injected.statusCode).toBe(302);
    expect(await exchangeLink(world.rt, two.linkId)).toMatchObject({ status: 'failed' });
    expect(await session(two.linkId)).toMatchObject({ error_code: 'invalid_grant' });
    expect(await eventTypes(two.linkId)).toEqual(['link.created', 'link.failed']);
    expect(await connectionsOf('carol-at-beta')).toEqual([]);
    // The token request carried session 2's verifier, which the code was not bound to.
    const sent = world.betaRecorder.bodies.slice(sentBefore);
    expect(sent.map((form) => form.get('code'))).toEqual([backOne.code]);
    expect(sent[0]?.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
  });

  it('PKCE downgrade: a code obtained without a challenge is refused at exchange', async () => {
    // The attacker strips code_challenge from the authorization request (the peer lets it
    // through); tokenlane still sends its verifier, and the AS refuses (RFC 9700 §4.8.2).
    const link = await createLink('app-dave', 'beta');
    const stripped = new URL(link.linkWebUrl);
    stripped.searchParams.delete('code_challenge');
    stripped.searchParams.delete('code_challenge_method');
    const back = await consent(stripped.href, 'dave-at-beta');
    // A callback cannot downgrade either: extra PKCE parameters are ignored.
    const response = await callback({
      ...back,
      code_verifier: 'attacker-chosen-verifier-0000000000000000000000',
      code_challenge_method: 'plain',
    });
    expect(response.statusCode).toBe(302);
    const sentBefore = world.betaRecorder.bodies.length;
    expect(await exchangeLink(world.rt, link.linkId)).toMatchObject({ status: 'failed' });
    const sent = world.betaRecorder.bodies.slice(sentBefore);
    expect(sent).toHaveLength(1);
    expect(await session(link.linkId)).toMatchObject({ error_code: 'invalid_grant' });
    expect(sent[0]?.get('code_verifier')).not.toBe(
      'attacker-chosen-verifier-0000000000000000000000',
    );
    expect(await connectionsOf('dave-at-beta')).toEqual([]);
  });

  // RFC 9700 §4.4.2 / RFC 9207: with one redirect URI for every provider, the `iss` the AS
  // sends back must be the issuer of the provider the state names.
  it('mix-up: a state of provider X with a code and iss from provider Y is refused', async () => {
    const linkX = await createLink('app-erin', 'acme');
    const linkY = await createLink('app-erin', 'beta');
    const backY = await consent(linkY.linkWebUrl, 'erin-at-beta');
    expect(backY.iss).toBe(world.peerB.issuer);
    const acmeSentBefore = world.acmeRecorder.bodies.length;
    const before = await stateCounts(world.rt);
    const mixed = await callback({ ...backY, state: linkX.state });
    expect([mixed.statusCode, errorCodeOf(mixed)]).toEqual([401, 'invalid_state']);
    expect(await stateCounts(world.rt)).toEqual(before);
    // Y's code never reached X's token endpoint, and X's link was not spent.
    expect(world.acmeRecorder.bodies.slice(acmeSentBefore)).toEqual([]);
    expect(await session(linkX.linkId)).toMatchObject({ status: 'pending' });
    expect(await session(linkY.linkId)).toMatchObject({ status: 'pending' });
    expect(await connectionsOf('erin-at-beta')).toEqual([]);
  });

  it('state tampering variants are 401/400 and change nothing', async () => {
    const link = await createLink('app-frank', 'acme');
    const before = await stateCounts(world.rt);
    const variants: [string, number, string][] = [
      [`state=${link.state.toUpperCase()}&code=abc`, 401, 'invalid_state'],
      [`state=${link.state}%20&code=abc`, 401, 'invalid_state'],
      [`state=${link.state}%00&code=abc`, 401, 'invalid_state'],
      [`state=${link.state.slice(0, -1)}&code=abc`, 401, 'invalid_state'],
      [`state=${link.state}${link.state}&code=abc`, 401, 'invalid_state'],
      [`state=${encodeURIComponent(link.state)}=&code=abc`, 401, 'invalid_state'],
      [`state=${link.state}&state=forged&code=abc`, 400, 'invalid_request'],
      [`state[]=${link.state}&code=abc`, 401, 'invalid_state'],
      [`STATE=${link.state}&code=abc`, 401, 'invalid_state'],
      [`oauth_token=${link.state}&oauth_verifier=abc`, 401, 'invalid_state'],
    ];
    for (const [query, status, code] of variants) {
      const response = await world.app.inject({
        method: 'GET',
        url: `/oauth/callback?${query}`,
        headers: { cookie: browser.cookieHeader() },
      });
      expect([query, response.statusCode, errorCodeOf(response)]).toEqual([query, status, code]);
    }
    expect(await stateCounts(world.rt)).toEqual(before);
    // The untouched state still works once, and only once.
    expect((await callback({ state: link.state, error: 'access_denied' })).statusCode).toBe(302);
    expect((await callback({ state: link.state, error: 'access_denied' })).statusCode).toBe(401);
  });
});

describe('open redirect through returnUrl (RFC 9700 §4.11)', () => {
  const refused: [string, string][] = [
    ['https://evil.example/', 'return_url_not_allowed'],
    ['http://127.0.0.1:9@evil.example/app/', 'return_url_not_allowed'],
    ['http://127.0.0.1:9/app@evil.example/', 'return_url_not_allowed'],
    ['http://127.0.0.1:9\\@evil.example/app/', 'return_url_not_allowed'],
    ['http://127.0.0.1:9/app/../evil', 'return_url_not_allowed'],
    ['http://127.0.0.1:9/APP/', 'return_url_not_allowed'],
    ['http://127.0.0.1:90/app/', 'return_url_not_allowed'],
    ['https://127.0.0.1:9/app/', 'return_url_not_allowed'],
    ['http://127.0.0.1:9/app.evil/', 'return_url_not_allowed'],
    ['http://127.0.0.1:9/application/', 'return_url_not_allowed'],
    ['http://evil.example/http://127.0.0.1:9/app/', 'return_url_not_allowed'],
    ['http://evil。example/app/', 'return_url_not_allowed'],
    ['http://127.0.0.1:9%2f@evil.example/app/', 'return_url_not_allowed'],
    ['javascript:alert(1)//http://127.0.0.1:9/app/', 'return_url_not_allowed'],
    ['data:text/html,http://127.0.0.1:9/app/', 'return_url_not_allowed'],
    ['//evil.example/app/', 'invalid_request'],
    ['/app/linked', 'invalid_request'],
    ['\\\\evil.example\\app', 'invalid_request'],
    ['http://127.0.0.1:9.evil.example/app/', 'invalid_request'],
  ];

  it.each(refused)('refuses %s with 400 %s and writes nothing', async (returnUrl, code) => {
    const before = await stateCounts(world.rt);
    const response = await world.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${API_KEY}` },
      payload: { userId: 'app-mallory', provider: 'acme', returnUrl },
    });
    expect([response.statusCode, errorCodeOf(response)]).toEqual([400, code]);
    expect(await stateCounts(world.rt)).toEqual(before);
  });

  it('accepts spellings that normalize into the allowed prefix, stored normalized', async () => {
    for (const [returnUrl, stored] of [
      ['HTTP://127.0.0.1:9/app/x', 'http://127.0.0.1:9/app/x'],
      ['http://0x7f.0.0.1:9/app/x', 'http://127.0.0.1:9/app/x'],
      ['http://127.0.0.1:9/app/a/../b', 'http://127.0.0.1:9/app/b'],
      ['http://127.0.0.1:9/app/\r\nLocation:%20x', 'http://127.0.0.1:9/app/Location:%20x'],
    ] as const) {
      expect(checkReturnUrl([ALLOWED_RETURN_PREFIX], returnUrl)).toBe(stored);
    }
  });

  it('a bare-origin prefix is normalized with its slash, so host suffixes do not match', () => {
    // TOKENLANE_ALLOWED_RETURN_URLS entries are WHATWG-normalized: `https://app.example`
    // becomes `https://app.example/`.
    expect(() => checkReturnUrl(['https://app.example/'], 'https://app.example.evil/')).toThrow(
      /TOKENLANE_ALLOWED_RETURN_URLS/,
    );
  });
});

describe('webhook replay protection', () => {
  const account = 'grace-at-acme';
  let connectionId: string;

  beforeAll(async () => {
    const link = await createLink('app-grace', 'acme');
    await callback(await consent(link.linkWebUrl, account));
    const outcome = await exchangeLink(world.rt, link.linkId);
    if (outcome.status !== 'completed') throw new Error(`link ${outcome.status}`);
    connectionId = outcome.connectionId;
  }, 30_000);

  const notice = JSON.stringify({ type: 'auth_revoked', providerUserId: account });
  const post = (headers: Record<string, string>, payload = notice) =>
    world.app.inject({ method: 'POST', url: '/webhooks/acme', headers, payload });
  const revokeJob = () =>
    world.rt.redis.exists(`${world.rt.config.queuePrefix}:revoke:revoke-${connectionId}`);

  it('refuses stale, future and unparsable signed timestamps with 401 and changes nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = await stateCounts(world.rt);
    for (const timestamp of [
      String(now - 360),
      String(now + 360),
      String((now - 3600) * 1000),
      'soon',
    ]) {
      const response = await post(signNotice(notice, timestamp));
      expect([timestamp, response.statusCode, errorCodeOf(response)]).toEqual([
        timestamp,
        401,
        'invalid_signature',
      ]);
    }
    // A fresh timestamp the signature does not cover (stripped, or swapped in) is refused too.
    const signedOld = signNotice(notice, String(now - 3600));
    const swapped = await post({ ...signedOld, 'x-tokenlane-timestamp': String(now) });
    expect([swapped.statusCode, errorCodeOf(swapped)]).toEqual([401, 'invalid_signature']);
    const stripped = Object.fromEntries(
      Object.entries(signedOld).filter(([name]) => name !== 'x-tokenlane-timestamp'),
    );
    const noTimestamp = await post(stripped);
    expect([noTimestamp.statusCode, errorCodeOf(noTimestamp)]).toEqual([401, 'invalid_signature']);
    expect(await stateCounts(world.rt)).toEqual(before);
    expect(await revokeJob()).toBe(0);
  });

  // Same body, same stamp: the same notice. Each genuine notice below gets its own second.
  let lastStamp = 0;
  const freshStamp = () => {
    lastStamp = Math.max(Math.floor(Date.now() / 1000), lastStamp + 1);
    return String(lastStamp);
  };

  it('the same signed notice twice: the second changes nothing', async () => {
    const headers = signNotice(notice, freshStamp());
    const first = await post(headers);
    expect(first.statusCode).toBe(200);
    expect(await revokeJob()).toBe(1);
    const afterFirst = await stateCounts(world.rt);
    for (let i = 0; i < 5; i += 1) {
      const replay = await post(headers);
      expect(replay.statusCode).toBe(200);
    }
    expect(await stateCounts(world.rt)).toEqual(afterFirst);
  });

  // A notice names a provider account, not a connection. The user revokes, tokenlane wipes,
  // the user re-links the same account (the exchange re-activates the same row): a captured
  // notice posted again must not revoke the new link. A notice applies only to links older
  // than its signed X-Tokenlane-Timestamp (plus 60 s of clock skew) and than the first time
  // tokenlane received it (notice_receipts), which is all an unstamped notice has.
  const queue = () => world.rt.queues.queue('revoke');
  /** What the worker does with a queued notice: run the revocation, drop the job. */
  async function runNoticeJob() {
    const job = await queue().getJob(`revoke-${connectionId}`);
    expect(job?.data).toEqual({ connectionId, reason: 'provider_notice' });
    await job!.remove();
    return revokeConnection(world.rt, connectionId as ConnectionId, {
      reason: 'provider_notice',
      callProvider: false,
      finalAttempt: true,
    });
  }
  async function relink() {
    const link = await createLink('app-grace', 'acme');
    await callback(await consent(link.linkWebUrl, account));
    const outcome = await exchangeLink(world.rt, link.linkId);
    if (outcome.status !== 'completed') throw new Error(`re-link ${outcome.status}`);
    // The exchange re-activates the same row: a notice cannot tell the links apart by id.
    expect(outcome.connectionId).toBe(connectionId);
    return outcome;
  }
  const status = async () =>
    (
      await world.rt.db
        .selectFrom('connections')
        .select('status')
        .where('id', '=', connectionId as ConnectionId)
        .executeTakeFirstOrThrow()
    ).status;
  const ignoredLines = () =>
    world.logs.filter((line) => line.includes("older than the connection's link: ignored"));

  // Captured notices: one unstamped, one stamped 3 minutes back (inside the 5-minute window
  // when replayed below, but issued more than 60 s before any link in this file).
  const unstamped = signNotice(notice);
  const stampedOld = signNotice(notice, String(Math.floor(Date.now() / 1000) - 180));

  it('a first unstamped notice revokes the linked connection', async () => {
    // The notice of the previous test is still queued: the worker wipes, the user re-links.
    expect(await runNoticeJob()).toMatchObject({ status: 'revoked' });
    await relink();
    expect(await status()).toBe('active');
    expect((await post(unstamped)).statusCode).toBe(200);
    expect(await runNoticeJob()).toMatchObject({ status: 'revoked' });
    expect(await status()).toBe('revoked');
  });

  it('an old notice replayed after a re-link does not revoke the new connection', async () => {
    await relink();
    const before = await stateCounts(world.rt);
    const logged = ignoredLines().length;
    for (let i = 0; i < 3; i += 1) {
      const replay = await post(unstamped);
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toEqual({ received: true });
    }
    expect(await revokeJob()).toBe(0);
    expect(await status()).toBe('active');
    expect(await stateCounts(world.rt)).toEqual(before);
    // Each replay is logged at info with its reason; never the body or the signature.
    const lines = ignoredLines().slice(logged);
    expect(lines).toHaveLength(3);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 30,
      provider: 'acme',
      connectionId,
      reason: 'linked_after_notice',
    });
    expect(line.seenCount).toBeGreaterThan(1);
    for (const text of lines) {
      expect(text).not.toContain(account);
      expect(text).not.toContain(unstamped['x-tokenlane-signature']!.slice(7));
      expect(text).not.toContain(WEBHOOK_SECRET);
    }
  });

  it('an old stamped notice after a re-link is acknowledged and changes nothing', async () => {
    const before = await stateCounts(world.rt);
    const replay = await post(stampedOld);
    expect(replay.statusCode).toBe(200);
    expect(await revokeJob()).toBe(0);
    expect(await status()).toBe('active');
    expect(await stateCounts(world.rt)).toEqual(before);
    const line = JSON.parse(ignoredLines().at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({ reason: 'linked_after_notice', seenCount: 1 });
    expect(line.noticeIssuedAt).toBe(
      new Date(Number(stampedOld['x-tokenlane-timestamp']) * 1000).toISOString(),
    );
  });

  it('a fresh stamped notice after a re-link revokes it', async () => {
    expect((await post(signNotice(notice, freshStamp()))).statusCode).toBe(200);
    expect(await revokeJob()).toBe(1);
    expect(await runNoticeJob()).toMatchObject({ status: 'revoked' });
    expect(await status()).toBe('revoked');
  });

  it('a notice job that runs after a re-link does not revoke the new link', async () => {
    await relink();
    expect((await post(signNotice(notice, freshStamp()))).statusCode).toBe(200);
    expect(await revokeJob()).toBe(1);
    // The user re-links again before a worker picks the job up: the job re-checks.
    await relink();
    expect(await runNoticeJob()).toEqual({ status: 'relinked_after_notice' });
    expect(await status()).toBe('active');
  });

  it('a provider without an intake refuses even a well-signed notice with 404', async () => {
    const other = await world.app.inject({
      method: 'POST',
      url: '/webhooks/beta',
      headers: signNotice(notice),
      payload: notice,
    });
    expect([other.statusCode, errorCodeOf(other)]).toEqual([404, 'not_found']);
  });
});

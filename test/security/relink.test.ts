import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { exchangeLink, requireReauth, revokeConnection } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, RETURN_URL, openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * Re-links (issue 17): made on demand, one live link per connection, provider and returnUrl;
 * completed only by the connection's own provider account; never reviving a connection
 * revoked after the link was made. Each attack asserts that nothing changed.
 */
let world: SecurityWorld;
/** A key that may read tokens but not write connections (a re-link is a write). */
const TOKENS_ONLY = 'tokens-only-key-0123456789abcdef';

beforeAll(async () => {
  world = await openSecurityWorld({
    TOKENLANE_API_KEYS: `${API_KEY},billing:tokens:read:${TOKENS_ONLY}`,
  });
}, 60_000);

afterAll(async () => {
  await world.close();
});

async function reauthRequired(userId: string, login: string): Promise<ConnectionId> {
  const id = await world.link(userId, login);
  const connection = await findConnection(world.rt.db, id);
  await requireReauth(world.rt, connection!, 'invalid_grant');
  return id;
}

async function relink(id: ConnectionId, body: object = { returnUrl: RETURN_URL }) {
  const response = await world.api('POST', `/v1/connections/${id}/relink`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ linkId: LinkSessionId; linkWebUrl: string; expiresAt: string }>();
}

const liveLinks = async (id: ConnectionId) =>
  world.rt.db
    .selectFrom('link_sessions')
    .select(['id', 'status'])
    .where('connection_id', '=', id)
    .where('status', '=', 'pending')
    .execute();

describe('re-links on demand', () => {
  it('a tokens:read key gets a 409 naming the reason, without a URL, and no link is made', async () => {
    const id = await reauthRequired('app-tess', 'tess-at-acme');
    const before = await world.row(id);
    const sessions = () =>
      world.rt.db
        .selectFrom('link_sessions')
        .select('id')
        .execute()
        .then((rows) => rows.length);
    const sessionsBefore = await sessions();
    for (let i = 0; i < 3; i += 1) {
      const answer = await world.api('GET', `/v1/connections/${id}/token`, undefined, TOKENS_ONLY);
      expect(answer.statusCode).toBe(409);
      const { error } = answer.json<{ error: Record<string, string> }>();
      expect(Object.keys(error).sort()).toEqual(['code', 'message']);
      expect(error.code).toBe('reauth_required');
      expect(error.message).toContain('connections:write');
      expect(answer.body).not.toContain('/connect/');
    }
    expect(await liveLinks(id)).toHaveLength(0);
    expect(await world.row(id)).toEqual(before);
    expect(await sessions()).toBe(sessionsBefore);
  });

  it('30 token calls on a reauth_required connection leave one live link', async () => {
    const id = await reauthRequired('app-ivy', 'ivy-at-acme');
    const answers = [
      ...(await Promise.all(
        Array.from({ length: 10 }, () => world.api('GET', `/v1/connections/${id}/token`)),
      )),
    ];
    for (let i = 0; i < 20; i += 1)
      answers.push(await world.api('GET', `/v1/connections/${id}/token`));
    const urls = new Set(
      answers.map((answer) => {
        expect(answer.statusCode).toBe(409);
        return answer.json<{ error: { code: string; linkWebUrl: string } }>().error.linkWebUrl;
      }),
    );
    expect(urls.size).toBe(1);
    expect(await liveLinks(id)).toHaveLength(1);
    // The relink route without a returnUrl is the same link; with one it is another.
    const same = await relink(id, {});
    expect([same.linkWebUrl]).toEqual([...urls]);
    const other = await relink(id);
    expect(other.linkWebUrl).not.toBe(same.linkWebUrl);
    expect(await relink(id)).toEqual(other);
    expect(await liveLinks(id)).toHaveLength(2);
  });

  it('events and webhooks payloads carry no URL and no state', async () => {
    let text = '';
    let cursor: string | null = '';
    while (cursor !== null) {
      const query: string = cursor === '' ? '' : `&after=${cursor}`;
      const page = await world.api('GET', `/v1/events?limit=100${query}`);
      expect(page.statusCode).toBe(200);
      text += page.body;
      cursor = page.json<{ nextCursor: string | null }>().nextCursor;
    }
    expect(text).toContain('connection.reauth_required');
    for (const needle of [world.peer.issuer, 'http://', 'https://', 'state', '/connect/']) {
      expect(text).not.toContain(needle);
    }
  });

  it("refuses a provider that is neither the connection's own nor its successor", async () => {
    const id = await reauthRequired('app-jon', 'jon-at-acme');
    const response = await world.api('POST', `/v1/connections/${id}/relink`, {
      provider: 'fitbit',
    });
    expect(response.statusCode).toBe(409);
    expect(await liveLinks(id)).toHaveLength(0);
  });
});

describe('same account only', () => {
  it('account swap: a re-link completed by another account fails and changes nothing', async () => {
    const id = await reauthRequired('app-kim', 'kim-at-acme');
    const before = await world.row(id);
    const link = await relink(id);
    // The attacker holds the URL and authorizes with their own provider account.
    const back = await world.browser().link(link.linkWebUrl, 'mallory-at-acme');
    expect(back.status).toBe(302);
    const revokedBefore = world.revocations.bodies.length;
    expect(await exchangeLink(world.rt, link.linkId)).toEqual({
      status: 'failed',
      code: 'account_mismatch',
    });
    expect(await world.row(id)).toEqual(before);
    // The attacker's fresh grant was revoked at the provider (refresh, then access token).
    const hints = world.revocations.bodies
      .slice(revokedBefore)
      .map((b) => b.get('token_type_hint'));
    expect(hints).toEqual(['refresh_token', 'access_token']);
    const failed = await world.rt.db
      .selectFrom('events')
      .select(['type', 'data'])
      .where('link_session_id', '=', link.linkId)
      .orderBy('seq')
      .execute();
    expect(failed.map((event) => [event.type, event.data.code ?? null])).toEqual([
      ['link.created', null],
      ['link.failed', 'account_mismatch'],
    ]);
    // No connection of the attacker's account was made either.
    const mallory = await world.rt.db
      .selectFrom('connections')
      .select('id')
      .where('provider_user_id', '=', 'mallory-at-acme')
      .execute();
    expect(mallory).toEqual([]);
  });

  it('the same account re-links in place', async () => {
    const id = await reauthRequired('app-lea', 'lea-at-acme');
    const link = await relink(id);
    await world.browser().link(link.linkWebUrl, 'lea-at-acme');
    expect(await exchangeLink(world.rt, link.linkId)).toEqual({
      status: 'completed',
      connectionId: id,
    });
    expect((await world.row(id)).status).toBe('active');
  });
});

describe('revoked connections stay revoked', () => {
  const revoke = (id: ConnectionId) =>
    revokeConnection(world.rt, id, { reason: 'api', callProvider: false, finalAttempt: true });

  it('a link made before the revocation cannot revive it, at any step', async () => {
    const id = await reauthRequired('app-max', 'max-at-acme');
    const notOpened = await relink(id);
    const consented = await relink(id, {});
    const browser = world.browser();
    const back = await browser.authorize(consented.linkWebUrl, 'max-at-acme');
    const exchanging = await relink(id, { returnUrl: `${RETURN_URL}/x` });
    await world.browser().link(exchanging.linkWebUrl, 'max-at-acme');

    expect(await revoke(id)).toMatchObject({ status: 'revoked' });
    const before = await world.row(id);
    const cancelled = await world.rt.db
      .selectFrom('link_sessions')
      .select(['id', 'status', 'error_code', 'code_enc', 'code_verifier_enc', 'link_url_enc'])
      .where('connection_id', '=', id)
      .orderBy('created_at')
      .execute();
    expect(
      cancelled.map((s) => [
        s.status,
        s.error_code,
        s.code_enc,
        s.code_verifier_enc,
        s.link_url_enc,
      ]),
    ).toEqual(Array.from({ length: 3 }, () => ['failed', 'link_cancelled', null, null, null]));

    // The callback of a consented link finds its state cancelled.
    expect((await browser.callback(back)).status).toBe(401);
    // The exchange of a link whose callback came before the revocation does nothing.
    expect(await exchangeLink(world.rt, exchanging.linkId)).toMatchObject({ status: 'failed' });
    // A link not opened yet is not handed out again.
    const fresh = await relink(id);
    expect(fresh.linkId).not.toBe(notOpened.linkId);
    expect(await world.row(id)).toEqual(before);

    // Only a link made after the revocation brings it back.
    await world.browser().link(fresh.linkWebUrl, 'max-at-acme');
    expect(await exchangeLink(world.rt, fresh.linkId)).toEqual({
      status: 'completed',
      connectionId: id,
    });
    expect((await world.row(id)).status).toBe('active');
  });
});

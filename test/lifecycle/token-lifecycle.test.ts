import type { ConnectionId } from '@tokenlane/core';
import { openTokens } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OidcPeer } from '../peers/oidc-peer.js';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';
import type { Stack } from '../support/stack.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';

const TTL_SECONDS = 15;
let oidc: OidcStack;
let stack: Stack;
let peer: OidcPeer;

beforeAll(async () => {
  oidc = await startOidcStack({
    clientId: 'lifecycle',
    accessTokenTtl: TTL_SECONDS,
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '500' },
  });
  ({ stack, peer } = oidc);
}, 90_000);

afterAll(async () => {
  await oidc.close();
});

const link = (userId: string) => oidc.link(userId);
const row = (id: ConnectionId) => oidc.row(id);

async function userinfo(accessToken: string): Promise<number> {
  const response = await fetch(peer.userinfoUrl, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  await response.body?.cancel();
  return response.status;
}

describe('token lifecycle, ingress and worker as separate processes', () => {
  it('refreshes proactively before expiry, without any call', async () => {
    const id = await link('proactive');
    const first = await row(id);
    await vi.waitFor(
      async () => {
        expect((await row(id)).tokenVersion).toBeGreaterThan(first.tokenVersion);
      },
      { timeout: TTL_SECONDS * 1000, interval: 200 },
    );
    const refreshed = await row(id);
    expect(refreshed.lastRefreshedAt!.getTime()).toBeLessThan(first.expiresAt!.getTime());
    expect(refreshed.status).toBe('active');
    expect(await userinfo(openTokens(stack.keyRing, refreshed).accessToken!.reveal())).toBe(200);
  });

  it('serves 200 concurrent token requests on an expired token with one refresh', async () => {
    const id = await link('concurrent');
    // Expired, and out of the sweeper's way: only the token API can refresh it now.
    await stack.db.db
      .updateTable('connections')
      .set({
        expires_at: new Date(Date.now() - 1000),
        refresh_due_at: new Date(Date.now() + 3_600_000),
      })
      .where('id', '=', id)
      .execute();
    const before = await row(id);
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => stack.api('GET', `/v1/connections/${id}/token`)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(200).fill(200));
    const tokens = new Set(
      responses.map((response) => (response.body as { accessToken: string }).accessToken),
    );
    expect(tokens.size).toBe(1);
    expect(responses[0]!.headers.get('cache-control')).toBe('no-store');
    const after = await row(id);
    // Rotation is on: a second refresh grant would have spent the rotated token and failed.
    expect(after.tokenVersion).toBe(before.tokenVersion + 1);
    expect(after.status).toBe('active');
    expect(await userinfo([...tokens][0]!)).toBe(200);
  });

  it('forces one refresh on a reported 401, and ignores a report about a replaced token', async () => {
    const id = await link('unauthorized');
    const before = await row(id);
    const oldToken = openTokens(stack.keyRing, before).accessToken!.reveal();
    const report = await stack.api('POST', `/v1/connections/${id}/unauthorized`, {
      accessToken: oldToken,
    });
    expect(report.status).toBe(202);
    await vi.waitFor(async () => {
      expect((await row(id)).tokenVersion).toBe(before.tokenVersion + 1);
    });
    const stale = await stack.api('POST', `/v1/connections/${id}/unauthorized`, {
      accessToken: oldToken,
    });
    expect(stale.body).toMatchObject({ status: 'stale_report' });
  });

  it('lands in reauth_required after the user revokes at the provider, and a re-link restores it', async () => {
    const id = await link('revoked-at-peer');
    const { refreshToken } = openTokens(stack.keyRing, await row(id));
    const revoked = await fetch(peer.revocationUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`lifecycle:${oidc.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        token: refreshToken!.reveal(),
        token_type_hint: 'refresh_token',
      }),
    });
    expect(revoked.status).toBe(200);

    expect((await stack.api('POST', `/v1/connections/${id}/refresh`)).status).toBe(202);
    await vi.waitFor(async () => {
      expect((await row(id)).status).toBe('reauth_required');
    });
    const event = await stack.db.db
      .selectFrom('events')
      .select('data')
      .where('connection_id', '=', id)
      .where('type', '=', 'connection.reauth_required')
      .executeTakeFirstOrThrow();
    // The event names the reason, never a link URL (a capability).
    expect(event.data).toMatchObject({ code: 'invalid_grant' });
    expect(JSON.stringify(event.data)).not.toContain('http');

    const token = await stack.api('GET', `/v1/connections/${id}/token`);
    expect(token.status).toBe(409);
    expect(token.body).toMatchObject({
      error: {
        code: 'reauth_required',
        linkWebUrl: expect.stringContaining(`${stack.url}/connect/`) as string,
      },
    });

    // A re-link made for the caller has no returnUrl: the user lands on tokenlane's own page.
    const browser = new LinkBrowser(viaHttp(stack.url), stack.url);
    const page = await browser.link(
      (token.body as { error: { linkWebUrl: string } }).error.linkWebUrl,
    );
    expect(page.status).toBe(200);
    expect(page.body).toContain('account is connected');
    expect((await row(id)).status).toBe('active');
    expect((await stack.api('GET', `/v1/connections/${id}/token`)).status).toBe(200);
  });
});

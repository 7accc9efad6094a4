import { createHmac } from 'node:crypto';
import { newConnectionId, type ConnectionId } from '@tokenlane/core';
import { insertConnection, transitionConnection } from '@tokenlane/db';
import { buildApp } from '@tokenlane/ingress';
import { openTokens, sealTokenSet } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import { Secret } from '@tokenlane/vault';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcPeer } from '../peers/oidc-peer.js';
import {
  WEBHOOK_SECRET,
  acmeEntry,
  events,
  link,
  openRuntime,
  refreshAtPeer,
  row,
  startPeer,
  runRevoke,
} from './support.js';

const FITBIT_SECRET = 'fitbit-client-secret-31ab';
const FITBIT_CODE = 'fitbit-verification-code-77-0123456789ab';
const GARMIN_SECRET = 'garmin-intake-secret-d41f09-0123456789a';
const STRAVA_TOKEN = 'hub-token-0123456789abcdef0123456789';
const STRAVA_VERIFY_TOKEN = 'strava-verify-4f1e';
const GARMIN_USER_TOKEN = 'garmin-user-access-token-5e6f';

let peer: OidcPeer;
let opened: Awaited<ReturnType<typeof openRuntime>>;
let rt: Runtime;
let app: FastifyInstance;

beforeAll(async () => {
  peer = await startPeer();
  opened = await openRuntime({
    acme: acmeEntry(peer),
    fitbit: { clientId: 'fitbit-client', clientSecret: FITBIT_SECRET, webhookSecret: FITBIT_CODE },
    garmin: {
      clientId: 'garmin-client',
      clientSecret: 'garmin-secret',
      webhookSecret: GARMIN_SECRET,
    },
    strava: {
      clientId: 'strava-client',
      clientSecret: 'strava-secret',
      webhookSecret: STRAVA_TOKEN,
      verifyToken: STRAVA_VERIFY_TOKEN,
    },
  });
  rt = opened.runtime;
  app = buildApp({ runtime: rt });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await rt.queues.queue('revoke').obliterate({ force: true });
  await app.close();
  // Nothing secret and no notification body may reach a log line.
  const logs = opened.logs.join('\n');
  for (const secret of [WEBHOOK_SECRET, FITBIT_SECRET, GARMIN_SECRET, GARMIN_USER_TOKEN]) {
    expect(logs).not.toContain(secret);
  }
  expect(logs).not.toContain('auth_revoked');
  await opened.dispose();
  await peer.close();
});

const generic = (body: string, secret = WEBHOOK_SECRET) => ({
  'content-type': 'application/json',
  'x-tokenlane-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
});
const noticeFor = (providerUserId: string) =>
  JSON.stringify({ type: 'auth_revoked', providerUserId });
const post = (url: string, payload: string, headers: Record<string, string>) =>
  app.inject({ method: 'POST', url, payload, headers });

const revokeJob = (id: ConnectionId) => rt.queues.queue('revoke').getJob(`revoke-${id}`);

/** Runs the enqueued revoke job's handler (as a worker would) and removes the job. */
async function runRevokeJob(id: ConnectionId) {
  const job = await revokeJob(id);
  expect(job?.data).toEqual({ connectionId: id, reason: 'provider_notice' });
  const outcome = await runRevoke(rt, job!.data, job!.attemptsMade);
  await job!.remove();
  return outcome;
}

/** A re-link of a seeded connection, as the exchange writes it: new tokens, linked now. */
async function relinkSeeded(id: ConnectionId, providerUserId: string) {
  const tokens = {
    accessToken: new Secret(`access-again-${providerUserId}`),
    refreshToken: new Secret(`refresh-again-${providerUserId}`),
    tokenType: 'Bearer',
    metadata: {},
  };
  await rt.db
    .transaction()
    .execute((trx) =>
      transitionConnection(
        trx,
        id,
        'active',
        { ...sealTokenSet(rt.keyRing, id, tokens), revokedAt: null, linkedAt: 'now' },
        { type: 'connection.created', data: { relinked: true } },
      ),
    );
}

/** A connection of a built-in provider, as an exchange would have written it. */
async function seedConnection(provider: string, providerUserId: string): Promise<ConnectionId> {
  const id = newConnectionId();
  const tokens = {
    accessToken: new Secret(`access-${providerUserId}`),
    refreshToken: new Secret(`refresh-${providerUserId}`),
    tokenType: 'Bearer',
    metadata: {},
  };
  await insertConnection(rt.db, {
    id,
    userId: `app-${providerUserId}`,
    provider,
    status: 'active',
    providerUserId,
    ...sealTokenSet(rt.keyRing, id, tokens),
  });
  return id;
}

describe('POST /webhooks/:provider, generic signature', () => {
  it('revokes every connection of the user once; a replay does nothing', async () => {
    const id = await link(rt, 'acme', 'notice-user-1');
    const refreshToken = openTokens(rt.keyRing, await row(rt, id)).refreshToken!.reveal();
    const body = noticeFor('notice-user-1');

    const response = await post('/webhooks/acme', body, generic(body));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: true });
    expect(await runRevokeJob(id)).toEqual({ status: 'revoked', confirmed: true });
    expect(await row(rt, id)).toMatchObject({
      status: 'revoked',
      accessTokenEnc: null,
      refreshTokenEnc: null,
      revocationConfirmed: true,
    });
    const written = await events(rt, id);
    expect(written.map((event) => event.type)).toEqual([
      'connection.created',
      'connection.revoked',
    ]);
    expect(written[1]!.data).toMatchObject({ reason: 'provider_notice', confirmed: true });
    // A notice means the provider already knows: tokenlane did not call back to revoke.
    expect((await refreshAtPeer(peer, refreshToken)).status).toBe(200);

    const replay = await post('/webhooks/acme', body, generic(body));
    expect(replay.statusCode).toBe(200);
    expect(await revokeJob(id)).toBeUndefined();
    const handled = await runRevoke(rt, { connectionId: id, reason: 'provider_notice' });
    expect(handled).toEqual({ status: 'already_revoked' });
    expect(await events(rt, id)).toHaveLength(2);
  });

  it('answers 401 to a bad signature and changes nothing', async () => {
    const id = await link(rt, 'acme', 'notice-user-2');
    const before = await row(rt, id);
    const body = noticeFor('notice-user-2');

    for (const headers of [
      generic(body, 'not-the-secret'),
      generic(noticeFor('someone-else')),
      { 'content-type': 'application/json' },
    ]) {
      const response = await post('/webhooks/acme', body, headers);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    }
    expect(await revokeJob(id)).toBeUndefined();
    expect(await rt.queues.queue('revoke').getJobCounts()).toMatchObject({
      waiting: 0,
      delayed: 0,
      active: 0,
    });
    expect(await row(rt, id)).toEqual(before);
    expect(await events(rt, id)).toHaveLength(1);
  });

  it('refuses unknown providers, malformed notices and oversized or non-JSON bodies', async () => {
    const body = noticeFor('x');
    const unknown = await post('/webhooks/nope', body, generic(body));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'unknown_provider' } });
    // Built in, but not configured here.
    expect((await post('/webhooks/whoop', body, generic(body))).statusCode).toBe(404);

    const malformed = '{"type":"auth_revoked"';
    const bad = await post('/webhooks/acme', malformed, generic(malformed));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request' } });

    const big = JSON.stringify({ type: 'other', padding: 'x'.repeat(300 * 1024) });
    expect((await post('/webhooks/acme', big, generic(big))).statusCode).toBe(413);
    // Bigger than the API's 64 KiB, within the intake's 256 KiB.
    const batch = JSON.stringify({ type: 'other', padding: 'x'.repeat(100 * 1024) });
    expect((await post('/webhooks/acme', batch, generic(batch))).statusCode).toBe(200);

    const text = await post('/webhooks/acme', body, { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
  });
});

const fitbitSignature = (body: string) =>
  createHmac('sha1', `${FITBIT_SECRET}&`).update(body).digest('base64');

describe('built-in provider formats through the intake', () => {
  it('answers the Fitbit verification GET: 204 for the right code, 404 otherwise', async () => {
    const right = await app.inject({ url: `/webhooks/fitbit?verify=${FITBIT_CODE}` });
    expect(right.statusCode).toBe(204);
    expect(right.body).toBe('');
    expect((await app.inject({ url: '/webhooks/fitbit?verify=wrong' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/webhooks/fitbit' })).statusCode).toBe(404);
  });

  it('revokes on Fitbit userRevokedAccess and acknowledges with 204', async () => {
    const id = await seedConnection('fitbit', '22BXYZ');
    const body = JSON.stringify([
      { collectionType: 'userRevokedAccess', date: '2026-03-01', ownerId: '22BXYZ' },
    ]);
    const headers = { 'content-type': 'application/json', 'x-fitbit-signature': '' };
    const forged = await post('/webhooks/fitbit', body, {
      ...headers,
      'x-fitbit-signature': 'AA==',
    });
    expect(forged.statusCode).toBe(401);
    expect(await revokeJob(id)).toBeUndefined();

    const response = await post('/webhooks/fitbit', body, {
      ...headers,
      'x-fitbit-signature': fitbitSignature(body),
    });
    expect(response.statusCode).toBe(204);
    expect(await runRevokeJob(id)).toEqual({ status: 'revoked', confirmed: true });
  });

  it('revokes on a Garmin deregistration pushed to the secret URL only', async () => {
    const id = await seedConnection('garmin', 'garmin-user-9');
    const body = JSON.stringify({
      deregistrations: [{ userId: 'garmin-user-9', userAccessToken: GARMIN_USER_TOKEN }],
    });
    const headers = { 'content-type': 'application/json', 'garmin-client-id': 'garmin-client' };
    expect((await post('/webhooks/garmin', body, headers)).statusCode).toBe(401);
    expect((await post('/webhooks/garmin/guessed', body, headers)).statusCode).toBe(401);
    expect(await revokeJob(id)).toBeUndefined();

    const response = await post(`/webhooks/garmin/${GARMIN_SECRET}`, body, headers);
    expect(response.statusCode).toBe(200);
    expect(await runRevokeJob(id)).toEqual({ status: 'revoked', confirmed: true });
    expect(await row(rt, id)).toMatchObject({ status: 'revoked', tokenSecretEnc: null });
  });

  it('Fitbit (no issue time): a replay after a re-link revokes nothing, a new notice does', async () => {
    const id = await seedConnection('fitbit', '22RELINK');
    const entry = (date: string) =>
      JSON.stringify([{ collectionType: 'userRevokedAccess', date, ownerId: '22RELINK' }]);
    const send = (body: string) =>
      post('/webhooks/fitbit', body, {
        'content-type': 'application/json',
        'x-fitbit-signature': fitbitSignature(body),
      });
    const first = entry('2026-03-01');
    expect((await send(first)).statusCode).toBe(204);
    expect(await runRevokeJob(id)).toEqual({ status: 'revoked', confirmed: true });
    await relinkSeeded(id, '22RELINK');

    // The captured notice again: tokenlane first saw it before this link.
    expect((await send(first)).statusCode).toBe(204);
    expect(await revokeJob(id)).toBeUndefined();
    expect(await row(rt, id)).toMatchObject({ status: 'active' });
    // A later revocation has another body (Fitbit's `date` moves on) and revokes the new link.
    expect((await send(entry('2026-03-02'))).statusCode).toBe(204);
    expect(await runRevokeJob(id)).toEqual({ status: 'revoked', confirmed: true });
  });

  it('Strava: event_time decides; an event from before the link is acknowledged and ignored', async () => {
    const id = await seedConnection('strava', '134815');
    const deauthorized = (eventTime: number) =>
      JSON.stringify({
        aspect_type: 'update',
        event_time: eventTime,
        object_id: 134815,
        object_type: 'athlete',
        owner_id: 134815,
        subscription_id: 120475,
        updates: { authorized: 'false' },
      });
    const now = Math.floor(Date.now() / 1000);
    const url = `/webhooks/strava/${STRAVA_TOKEN}`;
    const headers = { 'content-type': 'application/json' };
    // Issued an hour before this link (a late retry, or a replay): the link is newer.
    expect((await post(url, deauthorized(now - 3600), headers)).statusCode).toBe(200);
    expect(await revokeJob(id)).toBeUndefined();
    expect(await row(rt, id)).toMatchObject({ status: 'active' });
    // Within the 60 s skew of the link, or after it: revokes.
    expect((await post(url, deauthorized(now - 30), headers)).statusCode).toBe(200);
    expect(await runRevokeJob(id)).toEqual({ status: 'revoked', confirmed: true });
  });

  it('Garmin: a permission change older than the link is ignored, a deregistration is not', async () => {
    const id = await seedConnection('garmin', 'garmin-user-12');
    const headers = { 'content-type': 'application/json' };
    const url = `/webhooks/garmin/${GARMIN_SECRET}`;
    const change = JSON.stringify({
      userPermissionsChange: [
        {
          userId: 'garmin-user-12',
          summaryId: 'x',
          permissions: [],
          changeTimeInSeconds: Math.floor(Date.now() / 1000) - 600,
        },
      ],
    });
    expect((await post(url, change, headers)).statusCode).toBe(200);
    expect(await revokeJob(id)).toBeUndefined();
    const deregistration = JSON.stringify({
      deregistrations: [{ userId: 'garmin-user-12', userAccessToken: GARMIN_USER_TOKEN }],
    });
    expect((await post(url, deregistration, headers)).statusCode).toBe(200);
    expect(await runRevokeJob(id)).toEqual({ status: 'revoked', confirmed: true });
  });

  it('answers the Strava subscription challenge', async () => {
    const query = `hub.mode=subscribe&hub.verify_token=${STRAVA_VERIFY_TOKEN}&hub.challenge=abc123`;
    const response = await app.inject({ url: `/webhooks/strava?${query}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ 'hub.challenge': 'abc123' });
    const wrong = query.replace(STRAVA_VERIFY_TOKEN, 'nope');
    expect((await app.inject({ url: `/webhooks/strava?${wrong}` })).statusCode).toBe(404);
    // The intake secret is not the verify token: it must never travel in a query string.
    const secret = query.replace(STRAVA_VERIFY_TOKEN, STRAVA_TOKEN);
    expect((await app.inject({ url: `/webhooks/strava?${secret}` })).statusCode).toBe(404);
  });
});

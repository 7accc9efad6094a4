import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { startWorkers } from '@tokenlane/queue';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInteraction } from '../peers/oidc-peer.js';
import { startOAuth1Peer, type OAuth1Peer } from '../peers/oauth1-peer.js';
import { startPinPeer, type PinPeer } from '../peers/pin-peer.js';
import { stateCounts } from '../reliability/support.js';
import { RETURN_URL, bareExchangeJob, openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * The smaller holes of issue 17, each as the attack: a PIN brute force, a 401 report without
 * the token, a redirect without `iss` from a provider that always sends it, an OAuth 1.0
 * server that ignores our callback; and of issue 23, a PIN link ended through the callback. Each
 * asserts that nothing changed.
 */
const NEST_SECRET = 'nest-client-secret-security-77';
const GARMIN_SECRET = 'garmin-consumer-secret-security-21';
let world: SecurityWorld;
let pinPeer: PinPeer;
let oauth1: OAuth1Peer;

beforeAll(async () => {
  pinPeer = await startPinPeer({ clientId: 'nest-client', clientSecret: NEST_SECRET });
  oauth1 = await startOAuth1Peer({
    consumers: { 'garmin-key': GARMIN_SECRET },
    callbackConfirmed: false,
  });
  world = await openSecurityWorld({}, (acme) => ({
    'nest-legacy': {
      // Retired in the catalog: cleared here, so its PIN flow can still be attacked.
      sunsetAt: null,
      ...pinPeer.entry(),
    },
    garmin: oauth1.entry('garmin-key'),
    // acme's peer always sends iss; this entry says so.
    strict: { ...acme, authorizationResponseIss: true },
  }));
}, 60_000);

afterAll(async () => {
  await world.close();
  await pinPeer.close();
  await oauth1.close();
});

describe('PIN brute force', () => {
  // The PIN route waits on the exchange job: a worker runs it, for this test only (the others
  // compare Redis before and after).
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

  it('after 5 wrong PINs the link is failed: the right PIN no longer links anything', async () => {
    const created = await world.api('POST', '/v1/links', {
      userId: 'app-ted',
      provider: 'nest-legacy',
    });
    const link = created.json<{ linkId: LinkSessionId; linkWebUrl: string; method: string }>();
    expect(link.method).toBe('pin');
    const pin = pinPeer.approve(link.linkWebUrl);
    const answers: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const wrong = await world.api('POST', `/v1/links/${link.linkId}/pin`, {
        pin: `guess-${String(i)}`,
      });
      answers.push(wrong.statusCode);
    }
    expect(answers).toEqual([400, 400, 400, 400, 409]);
    const before = await stateCounts(world.rt);
    const right = await world.api('POST', `/v1/links/${link.linkId}/pin`, { pin });
    expect(right.statusCode).toBe(409);
    expect(await stateCounts(world.rt)).toEqual(before);
    const session = await world.rt.db
      .selectFrom('link_sessions')
      .select(['status', 'error_code', 'pin_attempts', 'result_connection_id'])
      .where('id', '=', link.linkId)
      .executeTakeFirstOrThrow();
    expect(session).toEqual({
      status: 'failed',
      error_code: 'too_many_attempts',
      pin_attempts: 5,
      result_connection_id: null,
    });
    expect(pinPeer.issued).toHaveLength(0);
  }, 60_000);
});

describe('PIN links and the callback', () => {
  it('a PIN link is never ended through /oauth/callback, whoever holds its provider URL', async () => {
    const created = await world.api('POST', '/v1/links', {
      userId: 'app-pia-pin',
      provider: 'nest-legacy',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { linkId, linkWebUrl, method } = created.json<{
      linkId: LinkSessionId;
      linkWebUrl: string;
      method: string;
    }>();
    expect(method).toBe('pin');
    const state = new URL(linkWebUrl).searchParams.get('state');
    expect(state).not.toBeNull();
    const before = await stateCounts(world.rt);
    for (const query of [
      { state: state!, error: 'access_denied' },
      { state: state!, code: 'stolen-code' },
    ]) {
      const answer = await world.app.inject({
        method: 'GET',
        url: `/oauth/callback?${new URLSearchParams(query).toString()}`,
      });
      expect(answer.statusCode).toBe(401);
    }
    expect(await stateCounts(world.rt)).toEqual(before);
    const session = await world.rt.db
      .selectFrom('link_sessions')
      .select(['status', 'callback_at'])
      .where('id', '=', linkId)
      .executeTakeFirstOrThrow();
    expect(session).toEqual({ status: 'pending', callback_at: null });
  });
});

describe('401 reports', () => {
  let id: ConnectionId;
  beforeAll(async () => {
    id = await world.link('app-uma', 'uma-at-acme');
  });

  it('without the token is refused; with another token does nothing, however often', async () => {
    const before = await stateCounts(world.rt);
    const row = await world.row(id);
    const bare = await world.api('POST', `/v1/connections/${id}/unauthorized`, {});
    expect(bare.statusCode).toBe(400);
    for (let i = 0; i < 3; i += 1) {
      const guessed = await world.api('POST', `/v1/connections/${id}/unauthorized`, {
        accessToken: `guess-${String(i)}`,
      });
      expect([guessed.statusCode, guessed.json<{ status: string }>().status]).toEqual([
        202,
        'stale_report',
      ]);
    }
    expect(await stateCounts(world.rt)).toEqual(before);
    // (Asked after the counts: opening the queue handle writes its meta key.)
    expect(await world.rt.queues.queue('reauth').count()).toBe(0);
    expect(await world.row(id)).toEqual(row);
  });
});

describe('issuer and callback confirmation', () => {
  it('a redirect without iss from a provider documented to send it is refused', async () => {
    const created = await world.api('POST', '/v1/links', {
      userId: 'app-vic',
      provider: 'strict',
      returnUrl: RETURN_URL,
    });
    const { linkWebUrl } = created.json<{ linkWebUrl: string }>();
    const browser = world.browser();
    const back = await completeInteraction(await browser.toProvider(linkWebUrl), { login: 'vic' });
    expect(back.searchParams.get('iss')).toBe(world.peer.issuer);
    const stripped = new URL(back);
    stripped.searchParams.delete('iss');
    const before = await stateCounts(world.rt);
    expect((await browser.callback(stripped)).status).toBe(401);
    expect(await stateCounts(world.rt)).toEqual(before);
    // The genuine redirect still completes.
    expect((await browser.callback(back)).status).toBe(302);
  });

  it('an OAuth 1.0a server that does not confirm the callback gets no link', async () => {
    const before = await stateCounts(world.rt);
    const created = await world.api('POST', '/v1/links', {
      userId: 'app-wes',
      provider: 'garmin',
      returnUrl: RETURN_URL,
    });
    expect([created.statusCode, created.json<{ error: { code: string } }>().error.code]).toEqual([
      502,
      'provider_error',
    ]);
    expect(await stateCounts(world.rt)).toEqual(before);
  });
});

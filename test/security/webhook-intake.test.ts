import { loadProviders } from '@tokenlane/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * The provider-notice intake (issue 17): a long or `/`-bearing secret path segment reaches its
 * route; the segment never reaches a log line, matched or not; no `?token=`; at least 32
 * characters of secret; refused attempts are counted per source address, and past 30 a
 * minute answered 429; a notice that verifies is always accepted.
 */
const SECRET = `garmin/${'s3cr3t-'.repeat(70)}`.slice(0, 500);
let world: SecurityWorld;

beforeAll(async () => {
  world = await openSecurityWorld(
    {},
    {
      garmin: {
        clientId: 'garmin-client',
        clientSecret: 'garmin-client-secret',
        webhookSecret: SECRET,
      },
    },
  );
}, 60_000);

afterAll(async () => {
  await world.close();
});

const body = JSON.stringify({ deregistrations: [{ userId: 'nobody-we-know' }] });
const post = (url: string) =>
  world.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', 'garmin-client-id': 'garmin-client' },
    payload: body,
  });
const logText = () => world.logs.join('\n');

describe('the webhook intake', () => {
  it('a 500-character secret holding "/" reaches its route and is never logged', async () => {
    const answer = await post(`/webhooks/garmin/${SECRET}`);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ received: true });
    expect(logText()).not.toContain(SECRET.slice(7, 40));
    expect(logText()).toContain('"path":"/webhooks/garmin/[redacted]"');
  });

  it('a secret on an unmatched or refused path is redacted too', async () => {
    const guesses = [
      `/webhooks/no-such-provider/${SECRET}`,
      `/webhooks/garmin/${SECRET}x`,
      `/webhooks/${'p'.repeat(700)}/${SECRET}`,
    ];
    for (const url of guesses) expect((await post(url)).statusCode).toBeGreaterThanOrEqual(400);
    expect(logText()).not.toContain(SECRET.slice(7, 40));
  });

  it('refuses the secret as ?token=', async () => {
    const answer = await post(`/webhooks/garmin?token=${encodeURIComponent(SECRET)}`);
    expect(answer.statusCode).toBe(401);
  });

  it('refuses a webhookSecret shorter than 32 characters at boot, naming the provider', () => {
    expect(() =>
      loadProviders({
        publicUrl: 'http://127.0.0.1:9',
        extra: { strava: { clientId: 'c', clientSecret: 's', webhookSecret: 'x'.repeat(31) } },
      }),
    ).toThrow(/"strava"\.webhookSecret must be at least 32 characters long/);
  });

  it('brute force: after 30 refused guesses from one address the rest get 429; a spoofed X-Forwarded-For changes nothing', async () => {
    // No TOKENLANE_TRUST_PROXY here: the socket address is the client, whatever it claims.
    await world.rt.redis.del(`${world.rt.config.queuePrefix}:intake-failures:127.0.0.1`);
    const revokeJobsBefore = await world.rt.queues.queue('revoke').count();
    const statuses: number[] = [];
    for (let i = 0; i < 35; i += 1) {
      const answer = await world.app.inject({
        method: 'POST',
        url: `/webhooks/garmin/guess-${String(i).padStart(40, '0')}`,
        headers: {
          'content-type': 'application/json',
          'garmin-client-id': 'garmin-client',
          'x-forwarded-for': `198.51.100.${String(i)}`,
        },
        payload: body,
      });
      statuses.push(answer.statusCode);
      if (answer.statusCode === 429) {
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([...Array<number>(30).fill(401), ...Array<number>(5).fill(429)]);
    expect(await world.rt.queues.queue('revoke').count()).toBe(revokeJobsBefore);
    // A notice that verifies is never refused by the count of refusals.
    expect((await post(`/webhooks/garmin/${SECRET}`)).statusCode).toBe(200);
  });
});

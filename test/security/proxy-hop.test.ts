import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET, signNotice } from '../reliability/support.js';
import { openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * Behind one proxy hop (TOKENLANE_TRUST_PROXY=1, the client named by X-Forwarded-For), the
 * intake's limit on refused notices counts each client on its own, atomically, an IPv6 /64 as
 * one client, and never refuses a notice that verifies (issue 23: one client must not be able
 * to silence every provider's revocations).
 */
let world: SecurityWorld;

beforeAll(async () => {
  world = await openSecurityWorld({ TOKENLANE_TRUST_PROXY: '1' }, (acme) => ({
    signer: { ...acme, webhookSecret: WEBHOOK_SECRET },
  }));
}, 60_000);

afterAll(async () => {
  await world.close();
});

const notice = JSON.stringify({ type: 'auth_revoked', providerUserId: 'nobody-we-know' });

function send(client: string | undefined, url: string, headers: Record<string, string>) {
  return world.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, ...(client === undefined ? {} : { 'x-forwarded-for': client }) },
    payload: notice,
  });
}
const junk = (client: string, i: number) =>
  send(client, i % 2 === 0 ? '/webhooks/nope' : '/webhooks/signer', {
    'content-type': 'application/json',
    'x-tokenlane-signature': `sha256=${'0'.repeat(64)}`,
  });
const signed = (client: string | undefined) => send(client, '/webhooks/signer', signNotice(notice));

async function statusesOf(client: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await junk(client, i)).statusCode);
  return statuses;
}

describe('the intake limit behind a proxy hop', () => {
  it('35 refused attempts from one client block neither another client nor a signed notice', async () => {
    const statuses = await statusesOf('203.0.113.7', 35);
    expect(statuses.slice(0, 30).every((status) => status === 401 || status === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);

    expect((await junk('198.51.100.4', 1)).statusCode).toBe(401);
    // The signed notice from the very client that is limited, from another, and from the
    // proxy itself (no X-Forwarded-For): each accepted.
    for (const client of ['203.0.113.7', '198.51.100.4', undefined]) {
      const answer = await signed(client);
      expect(answer.statusCode, answer.body).toBe(200);
    }
  });

  it('counts only the address the trusted hop names, not what the client prepends', async () => {
    await statusesOf('10.9.9.9, 192.0.2.50', 30);
    expect((await junk('10.9.9.8, 192.0.2.50', 0)).statusCode).toBe(429);
    expect((await junk('192.0.2.51', 0)).statusCode).toBe(404);
  });

  it('counts an IPv6 /64 as one client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      statuses.push((await junk(`2001:db8:7:1::${(i + 1).toString(16)}`, i)).statusCode);
    }
    expect(statuses.at(-1)).toBe(429);
    expect((await junk('2001:db8:7:1:ffff:ffff:ffff:ffff', 0)).statusCode).toBe(429);
    expect((await junk('2001:db8:7:2::1', 0)).statusCode).toBe(404);
  });

  it('counts concurrent refusals atomically: exactly 30 of 40 get through to a refusal', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => junk('192.0.2.99', i)));
    const limited = answers.filter((answer) => answer.statusCode === 429).length;
    expect(limited).toBe(10);
  });
});

import { buildApp, listenInternal } from '@tokenlane/ingress';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * The internal listener and the admin throttle (issue 23): with TOKENLANE_INTERNAL_PORT set,
 * nothing operational answers on PORT; failed admin logins are limited per address, in Redis,
 * so a second replica agrees.
 */
const PASSWORD = 'internal-admin-password-42';
let world: SecurityWorld;
let publicUrl: string;
let internalUrl: string;
let replica: FastifyInstance;
let replicaUrl: string;

beforeAll(async () => {
  world = await openSecurityWorld({
    TOKENLANE_INTERNAL_PORT: '9',
    TOKENLANE_ADMIN_PASSWORD: PASSWORD,
    TOKENLANE_TRUST_PROXY: '1',
  });
  publicUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
  const internal = await listenInternal(world.app, 0, '127.0.0.1');
  internalUrl = `http://127.0.0.1:${String(internal.port)}`;
  replica = buildApp({ runtime: world.rt });
  await replica.ready();
  replicaUrl = `http://127.0.0.1:${String((await listenInternal(replica, 0, '127.0.0.1')).port)}`;
}, 60_000);

afterAll(async () => {
  await replica.close();
  await world.close();
});

const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const OPERATIONAL = [
  '/metrics',
  '/admin',
  '/admin/queues',
  '/admin/connections',
  '/docs',
  '/docs/json',
  '/openapi.json',
];

describe('the internal listener', () => {
  it('PORT serves nothing operational, not even with the password', async () => {
    for (const path of OPERATIONAL) {
      const answer = await fetch(`${publicUrl}${path}`, {
        headers: { authorization: basic(PASSWORD) },
      });
      expect(answer.status, path).toBe(404);
      expect(await answer.text()).not.toContain('tokenlane_');
    }
    expect((await fetch(`${publicUrl}/healthz`)).status).toBe(200);
    const api = await fetch(`${publicUrl}/v1/providers`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(api.status).toBe(200);
  });

  it('the internal port serves them, and only them', async () => {
    const metrics = await fetch(`${internalUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('tokenlane_');
    const admin = await fetch(`${internalUrl}/admin`, {
      headers: { authorization: basic(PASSWORD) },
    });
    expect(admin.status).toBe(200);
    expect((await fetch(`${internalUrl}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${internalUrl}/healthz`)).status).toBe(200);
    const api = await fetch(`${internalUrl}/v1/providers`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(api.status).toBe(404);
  });
});

describe('failed admin logins', () => {
  const login = async (
    base: 'first' | 'replica',
    client: string,
    password?: string,
    path = '/admin',
  ) => {
    const answer = await fetch(`${base === 'first' ? internalUrl : replicaUrl}${path}`, {
      headers: {
        'x-forwarded-for': client,
        ...(password === undefined ? {} : { authorization: basic(password) }),
      },
    });
    return { statusCode: answer.status, headers: answer.headers, body: await answer.text() };
  };

  it('10 a minute per address, then 429 whatever the password, on every replica', async () => {
    // No credentials at all (a browser before it prompts) is not a failed login.
    for (let i = 0; i < 12; i += 1) {
      expect((await login('first', '203.0.113.20')).statusCode).toBe(401);
    }
    for (let i = 0; i < 10; i += 1) {
      expect((await login('first', '203.0.113.20', `guess-${String(i)}`)).statusCode).toBe(401);
    }
    const limited = await login('first', '203.0.113.20', 'guess-10');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.parse(limited.body)).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await login('first', '203.0.113.20', PASSWORD)).statusCode).toBe(429);
    expect((await login('replica', '203.0.113.20', PASSWORD)).statusCode).toBe(429);
    expect((await login('first', '203.0.113.20', PASSWORD)).body).not.toContain(PASSWORD);

    // Another address is untouched.
    expect((await login('replica', '198.51.100.20', PASSWORD)).statusCode).toBe(200);
  });

  it('the queue dashboard shares the count', async () => {
    for (let i = 0; i < 10; i += 1) await login('first', '192.0.2.30', `guess-${String(i)}`);
    const board = await login('replica', '192.0.2.30', PASSWORD, '/admin/queues');
    expect(board.statusCode).toBe(429);
  });
});

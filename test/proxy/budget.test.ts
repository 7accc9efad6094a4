import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api, IngressReplica } from '../support/stack.js';
import { PROXY_KEY, startProxyStack, type ProxyStack } from './support.js';

let ps: ProxyStack;
let replica: IngressReplica;

beforeAll(async () => {
  ps = await startProxyStack({ clientId: 'proxy-budget' });
  replica = await ps.oidc.stack.startIngress();
}, 90_000);

afterAll(async () => {
  await ps.close();
});

const call = (api: Api, id: string) =>
  api('GET', `/v1/connections/${id}/proxy/echo/x`, undefined, {
    authorization: `Bearer ${PROXY_KEY}`,
  });

describe('one rate budget per provider app', () => {
  it('two ingress replicas share the app window; proxied calls leave the refresh reserve', async () => {
    const a = await ps.oidc.link('budget-a', 'budgeted');
    const b = await ps.oidc.link('budget-b', 'budgeted');
    ps.api.clear();
    const answers = [];
    // Alternating replicas and connections: one window for the whole app, in Redis.
    for (let i = 0; i < 12; i += 1) {
      answers.push(await call(i % 2 === 0 ? ps.oidc.stack.api : replica.api, i % 3 === 0 ? a : b));
    }
    const statuses = answers.map((answer) => answer.status);
    // 10 an hour, 20 % kept for refreshes: 8 proxied calls, then 429 with nothing sent.
    expect(statuses).toEqual([...Array<number>(8).fill(200), ...Array<number>(4).fill(429)]);
    const refused = answers[8]!;
    expect((refused.body as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect(ps.api.requests()).toHaveLength(8);
    // The reserve is still there for the connection's refresh.
    const refreshed = await ps.oidc.stack.api('POST', `/v1/connections/${a}/refresh`);
    expect(refreshed.status).toBe(202);
  });

  it('a per-connection window limits each connection alone', async () => {
    const a = await ps.oidc.link('peruser-a', 'peruser');
    const b = await ps.oidc.link('peruser-b', 'peruser');
    // 3 an hour per connection, 20 % reserve: 2 proxied calls each.
    const forA = [];
    for (let i = 0; i < 3; i += 1) forA.push((await call(ps.oidc.stack.api, a)).status);
    expect(forA).toEqual([200, 200, 429]);
    expect((await call(replica.api, b)).status).toBe(200);
  });
});

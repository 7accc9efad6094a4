import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../support/stack.js';
import { PROXY_KEY, startProxyStack, type ProxyStack } from './support.js';

const PASSWORD = 'budget-console-password-0123';
const ADMIN = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` };

let ps: ProxyStack;

beforeAll(async () => {
  ps = await startProxyStack({
    clientId: 'proxy-budget-visible',
    env: { TOKENLANE_ADMIN_PASSWORD: PASSWORD },
  });
}, 90_000);

afterAll(async () => {
  await ps.close();
});

interface RateWindowView {
  window: string;
  requests: number;
  perSeconds: number;
  per: string;
  remaining: number | null;
}

async function windowsOf(api: Api, provider: string, query = ''): Promise<RateWindowView[]> {
  const answer = await api('GET', `/v1/providers${query}`);
  expect(answer.status).toBe(200);
  const { data } = answer.body as { data: { id: string; rateLimits: RateWindowView[] }[] };
  return data.find((view) => view.id === provider)!.rateLimits;
}

async function scrape(): Promise<string> {
  const ingress = ps.oidc.stack.services.find((service) => service.name === 'ingress')!;
  return (await fetch(ingress.metricsUrl)).text();
}

describe('what is left of a rate budget is visible', () => {
  it('GET /v1/providers, the gauge and the console show each window as calls spend it', async () => {
    const id = await ps.oidc.link('visible-a', 'budgeted');
    const api = ps.oidc.stack.api;
    expect(await windowsOf(api, 'budgeted')).toEqual([
      { window: '3600s', requests: 10, perSeconds: 3600, per: 'app', remaining: 10 },
    ]);
    for (let i = 0; i < 3; i += 1) {
      const answer = await api('GET', `/v1/connections/${id}/proxy/echo/x`, undefined, {
        authorization: `Bearer ${PROXY_KEY}`,
      });
      expect(answer.status).toBe(200);
    }
    expect(await windowsOf(api, 'budgeted')).toEqual([
      { window: '3600s', requests: 10, perSeconds: 3600, per: 'app', remaining: 7 },
    ]);
    // A per-user window has no single remaining; a built-in shows its documented windows.
    expect(await windowsOf(api, 'peruser')).toEqual([
      { window: '3600s', requests: 3, perSeconds: 3600, per: 'connection', remaining: null },
    ]);
    expect(await windowsOf(api, 'whoop')).toEqual([
      { window: '60s', requests: 100, perSeconds: 60, per: 'app', remaining: 100 },
      { window: '86400s', requests: 10_000, perSeconds: 86_400, per: 'app', remaining: 10_000 },
    ]);
    expect(await windowsOf(api, 'acme')).toEqual([]);

    const metrics = await scrape();
    expect(metrics).toMatch(
      /tokenlane_rate_budget_remaining\{provider="budgeted",window="3600s"\} 7\n/,
    );
    expect(metrics).toMatch(
      /tokenlane_rate_budget_remaining\{provider="whoop",window="60s"\} 100\n/,
    );
    // Per-user windows stay out of the gauge (a series per user would be unbounded).
    expect(metrics).not.toContain('tokenlane_rate_budget_remaining{provider="peruser"');

    const page = await fetch(`${ps.oidc.stack.url}/admin`, { headers: ADMIN });
    expect(page.status).toBe(200);
    const content = await page.text();
    expect(content).toContain('Rate budget');
    expect(content).toMatch(/10 an hour: <strong>7<\/strong> left/);
    expect(content).toContain('3 an hour per user');
  });

  it('?connectionId= adds what is left of that connection’s per-connection windows', async () => {
    const api = ps.oidc.stack.api;
    const id = await ps.oidc.link('visible-peruser', 'peruser');
    const answer = await api('GET', `/v1/connections/${id}/proxy/echo/x`, undefined, {
      authorization: `Bearer ${PROXY_KEY}`,
    });
    expect(answer.status).toBe(200);
    expect(await windowsOf(api, 'peruser', `?connectionId=${id}`)).toEqual([
      { window: '3600s', requests: 3, perSeconds: 3600, per: 'connection', remaining: 2 },
    ]);
    // Without it, the same window shows its limit only.
    expect((await windowsOf(api, 'peruser'))[0]?.remaining).toBeNull();
    const malformed = await api('GET', '/v1/providers?connectionId=not-an-id');
    expect(malformed.status).toBe(400);
    expect((malformed.body as { error: { code: string } }).error.code).toBe('invalid_request');
    const unknown = await api(
      'GET',
      '/v1/providers?connectionId=00000000-0000-4000-8000-000000000000',
    );
    expect(unknown.status).toBe(404);
  });
});

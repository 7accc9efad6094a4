import { writeFile } from 'node:fs/promises';
import type { ConnectionId } from '@tokenlane/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../../services/ingress/src/test-support/runtime.js';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';
import { API_KEY } from '../support/stack.js';
import { accessibilityProblems } from './a11y.js';
import { HAVE_CHROMIUM, artifactPath, launchChromium, type Browser } from './browser.js';

const PASSWORD = 'console-password-0123';
const ADMIN = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` };

let oidc: OidcStack;
let url: string;
let ids: ConnectionId[];
/** Every access token the API handed out here: none may show on a console page. */
const tokens: string[] = [];

interface EventLine {
  type: string;
  connectionId: string | null;
  data: Record<string, unknown>;
}

async function api<T>(method: string, path: string): Promise<T> {
  const response = await oidc.stack.api(method, path);
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return response.body as T;
}

async function eventsOf(id: string): Promise<EventLine[]> {
  const page = await api<{ data: EventLine[] }>('GET', '/v1/events?limit=200');
  return page.data.filter((event) => event.connectionId === id);
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Saves the page's screenshot and HTML as artifacts, after checking the HTML holds no secret
 * and the page has labelled controls and readable contrast.
 */
async function capture(page: Page, name: string): Promise<string> {
  expect(await accessibilityProblems(page), name).toEqual([]);
  const content = await page.content();
  for (const secret of [PASSWORD, API_KEY, ...tokens]) expect(content).not.toContain(secret);
  expect(content).not.toMatch(/v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{8,}\./); // no ciphertext
  await page.screenshot({ path: await artifactPath(`console/${name}.png`), fullPage: true });
  await writeFile(await artifactPath(`console/${name}.html`), content);
  return content;
}

beforeAll(async () => {
  oidc = await startOidcStack({
    clientId: 'console',
    env: { TOKENLANE_ADMIN_PASSWORD: PASSWORD, TOKENLANE_SWEEP_INTERVAL_MS: '500' },
  });
  url = oidc.stack.url;
  ids = [
    await oidc.link('console-ada'),
    await oidc.link('console-bob'),
    await oidc.link('console-cy'),
  ];
  for (const id of ids) {
    const token = await api<{ accessToken: string }>('GET', `/v1/connections/${id}/token`);
    tokens.push(token.accessToken);
  }
}, 120_000);

afterAll(async () => {
  await oidc.close();
});

describe('console /admin over HTTP', () => {
  it('answers 401 with a Basic challenge to pages, assets and actions without the password', async () => {
    const paths = [
      '/admin',
      '/admin/connections',
      `/admin/connections/${ids[0]}`,
      '/admin/assets/console.css',
    ];
    for (const path of paths) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="tokenlane admin"/);
    }
    const bearer = await fetch(`${url}/admin`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(bearer.status).toBe(401);
    const action = await fetch(`${url}/admin/connections/${ids[0]}/revoke`, { method: 'POST' });
    expect(action.status).toBe(401);
  });

  it('refuses a cross-site action even with the password', async () => {
    const response = await fetch(`${url}/admin/connections/${ids[2]}/revoke`, {
      method: 'POST',
      headers: {
        ...ADMIN,
        origin: 'http://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    });
    expect(response.status).toBe(403);
    for (const headers of [
      { origin: 'null' },
      { origin: '::garbage' },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      const refused = await fetch(`${url}/admin/connections/${ids[2]}/revoke`, {
        method: 'POST',
        headers: { ...ADMIN, ...headers },
      });
      expect(refused.status, JSON.stringify(headers)).toBe(403);
    }
    expect((await oidc.row(ids[2]!)).status).toBe('active');
  });

  it('serves pages with a strict content security policy and no-store', async () => {
    const response = await fetch(`${url}/admin/connections`, { headers: ADMIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    const missing = await fetch(`${url}/admin/connections/00000000-0000-4000-8000-000000000000`, {
      headers: ADMIN,
    });
    expect(missing.status).toBe(404);
  });
});

describe.skipIf(!HAVE_CHROMIUM)('console in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const foreign: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
    // A step that fails names itself well before the test's own timeout.
    page.setDefaultTimeout(10_000);
    await page.setExtraHTTPHeaders(ADMIN);
    // Everything the console loads comes from the ingress itself.
    page.on('request', (request) => {
      if (!request.url().startsWith(url)) foreign.push(request.url());
    });
  });

  afterAll(async () => {
    await browser.close();
    expect(foreign).toEqual([]);
  });

  it('the accessibility check finds an unlabelled field and pale text', async () => {
    const scratch = await browser.context.newPage();
    await scratch.setContent(
      '<main><p style="color:#aaa">pale</p><p style="color:#57606a">fine</p><input id="x">' +
        '<label for="y">Named</label><input id="y"></main>',
    );
    const problems = await accessibilityProblems(scratch);
    await scratch.close();
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^unlabelled <input id="x">/);
    expect(problems[1]).toMatch(/^contrast 2\.\d+ P "pale"/);
  });

  it('overview: connections per provider and status, the refresh chart, provider health', async () => {
    await page.goto(`${url}/admin`);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Overview');
    const counts = page.getByRole('region', { name: 'Connections' });
    const acme = counts.getByRole('row', { name: /^acme/ });
    await expect.poll(() => acme.innerText()).toMatch(/acme\s+3\s+0\s+0\s+0/);
    expect(await page.getByRole('img', { name: /Refreshes \(green\)/ }).count()).toBe(1);
    const health = page.getByRole('region', { name: 'Provider health' });
    expect(await health.getByRole('row', { name: /acme/ }).innerText()).toContain('healthy');
    expect(await page.getByText('No provider migration is running.').count()).toBe(1);
    // Keyboard: the first Tab lands on the skip link.
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').innerText()).toBe('Skip to content');
    await capture(page, 'overview-before');
  });

  it('connections: pages with a cursor, filters by user id from the keyboard', async () => {
    await page.goto(`${url}/admin/connections?limit=2`);
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/after=/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').innerText()).toContain(ids[2]);
    expect(await page.getByText('Last page').count()).toBe(1);
    await page.getByRole('link', { name: 'First page' }).click();
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.getByLabel('User id').fill('console-bob');
    await page.getByLabel('User id').press('Enter');
    await page.waitForURL(/userId=console-bob/);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain(ids[1]);
    await page.getByLabel('Status').selectOption('revoked');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=revoked/);
    expect(await page.getByText('No connection matches.').count()).toBe(1);
    await page.goto(`${url}/admin/connections?provider=acme`);
    await capture(page, 'connections');
  });

  it('connection: refresh now, confirmed, shows in the API and on the timeline as the operator', async () => {
    const id = ids[0]!;
    const before = await api<{ lastRefreshedAt: string | null }>('GET', `/v1/connections/${id}`);
    await page.goto(`${url}/admin/connections/${id}`);
    await page.getByRole('link', { name: 'Refresh now' }).click();
    await page.waitForURL(/confirm\/refresh$/);
    expect(await page.locator('h1').innerText()).toBe('Refresh this connection now?');
    await page.getByRole('button', { name: 'Refresh this connection now' }).click();
    await page.waitForURL(/done=refresh/);
    expect(await page.getByRole('status').innerText()).toContain('Refresh requested');

    const refreshed = await until('the operator refresh', async () => {
      const events = await eventsOf(id);
      return events.find((e) => e.type === 'connection.refreshed' && e.data.trigger === 'operator');
    });
    expect(refreshed.data.durationMs).toEqual(expect.any(Number));
    const after = await api<{ lastRefreshedAt: string }>('GET', `/v1/connections/${id}`);
    expect(after.lastRefreshedAt).not.toBe(before.lastRefreshedAt);
    const token = await api<{ accessToken: string }>('GET', `/v1/connections/${id}/token`);
    tokens.push(token.accessToken);

    await page.reload();
    const row = page.locator('tbody tr', { hasText: 'connection.refreshed' }).first();
    expect(await row.innerText()).toMatch(/refreshed[\s\S]*\d+ ms[\s\S]*operator/);
    await capture(page, 'connection');
  });

  it('connection: a re-link URL made on request, with a copy button, recorded as the operator', async () => {
    const id = ids[1]!;
    await page.goto(`${url}/admin/connections/${id}/confirm/relink`);
    await capture(page, 'confirm');
    await page.getByRole('button', { name: 'Create a re-link URL' }).click();
    const field = page.getByLabel('Re-link URL');
    const link = await field.inputValue();
    // tokenlane's own one-time URL: the first browser to open it is bound to the link.
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/connect\/[\w-]+$/);
    expect(await page.getByRole('button', { name: 'Copy' }).count()).toBe(1);
    const created = await until('link.created by the operator', async () =>
      (await eventsOf(id)).find((e) => e.type === 'link.created' && e.data.trigger === 'operator'),
    );
    expect(JSON.stringify(created)).not.toContain(link);
    // The URL itself is a capability: left out of the saved page.
    await page.evaluate(`document.getElementById('relink-url').value = '(shown to the operator)'`);
    expect(await field.inputValue()).toBe('(shown to the operator)');
    await capture(page, 'relink');
  });

  it('connection: revoke, confirmed, makes the API show it revoked', async () => {
    const id = ids[2]!;
    await page.goto(`${url}/admin/connections/${id}`);
    await page.getByRole('link', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke this connection' }).click();
    await page.waitForURL(/done=revoke/);
    const revoked = await until('revoked in the API', async () => {
      const view = await api<{ status: string }>('GET', `/v1/connections/${id}`);
      return view.status === 'revoked' ? view : undefined;
    });
    expect(revoked.status).toBe('revoked');
    const event = (await eventsOf(id)).find((e) => e.type === 'connection.revoked');
    expect(event?.data).toMatchObject({ reason: 'operator', trigger: 'operator' });
    await page.reload();
    expect(await page.locator('dl.fields').innerText()).toContain('revoked');
  });

  it('overview after the actions: the counts and the chart moved', async () => {
    await page.goto(`${url}/admin`);
    const acme = page
      .getByRole('region', { name: 'Connections' })
      .getByRole('row', { name: /^acme/ });
    await expect.poll(() => acme.innerText()).toMatch(/acme\s+2\s+0\s+0\s+1/);
    const caption = await page.locator('figcaption').innerText();
    expect(Number(/(\d+) refreshed/.exec(caption)?.[1])).toBeGreaterThanOrEqual(1);
    await capture(page, 'overview');
  });
});

describe('console without TOKENLANE_ADMIN_PASSWORD', () => {
  it('is not there at all: 404 with or without credentials', async () => {
    const t = await openTestApp('ops_no_console');
    try {
      for (const path of ['/admin', '/admin/connections', '/admin/assets/console.js']) {
        for (const headers of [{}, ADMIN]) {
          expect((await t.app.inject({ method: 'GET', url: path, headers })).statusCode).toBe(404);
        }
      }
    } finally {
      await t.dispose();
    }
  });
});

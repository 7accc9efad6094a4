import { newConnectionId, type ConnectionId } from '@tokenlane/core';
import { insertConnection, pauseMigration as pauseMigrationRow } from '@tokenlane/db';
import {
  cancelMigration,
  migrationView,
  sealOAuth1Tokens,
  startMigration,
  type MigrationView,
} from '@tokenlane/lifecycle';
import { Secret } from '@tokenlane/vault';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openTestApp,
  TEST_API_KEY,
  type TestApp,
} from '../../services/ingress/src/test-support/runtime.js';
import { accessibilityProblems } from './a11y.js';
import { HAVE_CHROMIUM, artifactPath, launchChromium, type Browser } from './browser.js';

// No worker runs here: a started migration stays `running`, its jobs waiting in Redis.
const PASSWORD = 'console-migrations-password-4417';
const ADMIN = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` };
/** What a browser sends with a form post from the console's own page. */
const SAME_ORIGIN = { ...ADMIN, 'sec-fetch-site': 'same-origin' };
const PROVIDERS = {
  garmin: { clientId: 'cm-key', clientSecret: 'cm-consumer-secret-9d1f', sunsetAt: null },
  'garmin-oauth2': { clientId: 'cm-client', clientSecret: 'cm-client-secret-5e2a' },
};
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let t: TestApp;
/** Everything that must never show on a page. */
const secrets: string[] = [
  PASSWORD,
  TEST_API_KEY,
  PROVIDERS.garmin.clientSecret,
  PROVIDERS['garmin-oauth2'].clientSecret,
];
const m: Record<'running' | 'credentials' | 'cancelled' | 'dryRun' | 'clicked', MigrationView> =
  {} as never;

async function seed(label: string, n: number): Promise<ConnectionId[]> {
  const ids: ConnectionId[] = [];
  for (let i = 0; i < n; i += 1) {
    const id = newConnectionId();
    const token = `cm-token-${label}-${i}-${id}`;
    const tokenSecret = `cm-token-secret-${label}-${i}-${id}`;
    secrets.push(token, tokenSecret);
    await insertConnection(t.runtime.db, {
      id,
      userId: `cm-${label}-${i}`,
      provider: 'garmin',
      status: 'active',
      providerUserId: `garmin-cm-${label}-${i}`,
      ...sealOAuth1Tokens(t.runtime.keyRing, id, {
        token: new Secret(token),
        tokenSecret: new Secret(tokenSecret),
      }),
    });
    ids.push(id);
  }
  return ids;
}

const start = async (label: string, n: number, dryRun = false) =>
  startMigration(t.runtime, {
    from: 'garmin',
    to: 'garmin-oauth2',
    connectionIds: await seed(label, n),
    dryRun,
  });

async function get(path: string) {
  const response = await t.app.inject({ method: 'GET', url: path, headers: ADMIN });
  for (const secret of secrets) expect(response.body, path).not.toContain(secret);
  return response;
}

const post = (path: string, headers: Record<string, string> = SAME_ORIGIN) =>
  t.app.inject({ method: 'POST', url: path, headers });

/** The list row of migration `id`, its tags stripped and spaces squeezed. */
function rowText(page: string, id: string): string {
  const row = page.split('<tr>').find((part) => part.includes(`/admin/migrations/${id}"`));
  expect(row, `row of ${id}`).toBeDefined();
  return row!
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const status = async (id: string) => (await migrationView(t.runtime, id)).status;

beforeAll(async () => {
  t = await openTestApp('ops_console_migrations', {
    providers: PROVIDERS,
    env: { TOKENLANE_ADMIN_PASSWORD: PASSWORD },
  });
  m.dryRun = await start('dry', 2, true);
  m.cancelled = await start('cancel', 2);
  await cancelMigration(t.runtime, m.cancelled.id);
  m.credentials = await start('creds', 4);
  // As the exchange does when Garmin refuses our consumer key (lifecycle/migrations/pause.ts).
  await pauseMigrationRow(t.runtime.db, m.credentials.id, 'credentials');
  m.running = await start('run', 3);
  m.clicked = await start('click', 2);
}, 60_000);

afterAll(async () => {
  await t.dispose();
});

describe('the console migration panel over HTTP', () => {
  it('lists migrations newest first with their state in plain words and their counts', async () => {
    const response = await get('/admin/migrations');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    const page = response.body;
    // From → to, mode, state, total, pending, moved, awaiting consent, needs the user, failed, skipped.
    expect(rowText(page, m.running.id)).toMatch(
      /^garmin → garmin-oauth2 token exchange running 3 3 0 0 0 0 0 \d{4}-/,
    );
    expect(rowText(page, m.credentials.id)).toMatch(
      /^garmin → garmin-oauth2 token exchange paused \(our credentials were refused\) 4 4 0/,
    );
    expect(rowText(page, m.cancelled.id)).toMatch(/ cancelled 2 0 0 0 0 0 2 /);
    expect(rowText(page, m.dryRun.id)).toMatch(/token exchange \(dry run\) completed 2 0 /);
    // Finished runs show when they finished; open ones a dash.
    expect(rowText(page, m.cancelled.id)).toMatch(/\d{4}-\S+ \d\d:\d\d:\d\dZ \d{4}-/);
    expect(rowText(page, m.running.id)).toMatch(/Z —$/);
    const order = [m.clicked, m.running, m.credentials, m.cancelled, m.dryRun].map((v) =>
      page.indexOf(`/admin/migrations/${v.id}"`),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(page).toMatch(/href="\/admin\/migrations"\s+aria-current="page"/);
  });

  it('explains a credentials pause and what to do next, offering resume and cancel only', async () => {
    const page = (await get(`/admin/migrations/${m.credentials.id}`)).body;
    expect(page).toContain(
      'Garmin Connect (OAuth 1.0a, legacy) refused our consumer key or signature, so the run stopped and no connection was changed. Check this provider&#39;s key and secret in the providers file, restart tokenlane, then resume.',
    );
    expect(page).toContain(`/admin/migrations/${m.credentials.id}/confirm/resume`);
    expect(page).toContain(`/admin/migrations/${m.credentials.id}/confirm/cancel`);
    expect(page).not.toContain('/confirm/pause');
  });

  it('pauses and resumes through the confirmation page and its form', async () => {
    const id = m.running.id;
    const confirm = await get(`/admin/migrations/${id}/confirm/pause`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`<form method="post" action="/admin/migrations/${id}/pause"`);

    const paused = await post(`/admin/migrations/${id}/pause`);
    expect(paused.statusCode).toBe(303);
    expect(paused.headers.location).toBe(`/admin/migrations/${id}?done=pause`);
    expect(await migrationView(t.runtime, id)).toMatchObject({
      status: 'paused',
      pausedReason: 'operator',
    });
    const after = (await get(`/admin/migrations/${id}?done=pause`)).body;
    expect(after).toContain('Paused. Pending connections wait until you resume.');
    expect(after).toContain('An operator paused it.');

    const resumed = await post(`/admin/migrations/${id}/resume`);
    expect(resumed.statusCode).toBe(303);
    expect(await migrationView(t.runtime, id)).toMatchObject({
      status: 'running',
      pausedReason: null,
    });
    // Its pending connections are queued again for the worker.
    const jobs = await t.runtime.queues.queue('migrate').getJobs(['waiting', 'delayed']);
    expect(jobs.filter((job) => String(job.id).includes(id))).toHaveLength(3);
    expect(t.logs.some((line) => line.includes('"action":"resume"'))).toBe(true);
  });

  it('refuses a cross-site post and leaves the migration as it was', async () => {
    const id = m.running.id;
    for (const headers of [
      { ...ADMIN, origin: 'http://evil.example' },
      { ...ADMIN, 'sec-fetch-site': 'cross-site' },
    ]) {
      expect((await post(`/admin/migrations/${id}/pause`, headers)).statusCode).toBe(403);
    }
    expect((await post(`/admin/migrations/${id}/pause`, {})).statusCode).toBe(401);
    expect(await status(id)).toBe('running');
  });

  it('answers a bad or unknown id with a 404 page, an action that no longer fits with a 409 page', async () => {
    for (const path of [
      '/admin/migrations/not-a-migration',
      `/admin/migrations/${UNKNOWN}`,
      `/admin/migrations/${UNKNOWN}/confirm/pause`,
    ]) {
      const response = await get(path);
      expect(response.statusCode, path).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<h1>Not found</h1>');
    }
    const missing = await post(`/admin/migrations/${UNKNOWN}/resume`);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<h1>Not found</h1>');

    const late = await get(`/admin/migrations/${m.dryRun.id}/confirm/pause`);
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('<h1>Nothing was changed</h1>');
    const twice = await post(`/admin/migrations/${m.running.id}/resume`);
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('Open it again to see where it stands now.');
    expect(await status(m.running.id)).toBe('running');
    // An unknown connection is a page too now.
    expect((await get(`/admin/connections/${UNKNOWN}`)).body).toContain('<h1>Not found</h1>');
  });

  it('names running and paused migrations on the overview, one line each', async () => {
    const page = (await get('/admin')).body;
    const region = page.slice(page.indexOf('id="h-migrations"'));
    expect(region).toContain(`/admin/migrations/${m.running.id}`);
    expect(region).toContain('paused (our credentials were refused)');
    expect(region).not.toContain(m.cancelled.id);
    expect(region).not.toContain(m.dryRun.id);
    expect(region).not.toContain('No provider migration is running.');
  });

  it('cancels, confirmed, for good: pending connections skipped', async () => {
    const id = m.credentials.id;
    const confirm = await get(`/admin/migrations/${id}/confirm/cancel`);
    expect(confirm.body).toContain('It cannot be resumed');
    expect((await post(`/admin/migrations/${id}/cancel`)).statusCode).toBe(303);
    const view = await migrationView(t.runtime, id);
    expect(view.status).toBe('cancelled');
    expect(view.counts).toMatchObject({ pending: 0, skipped: 4 });
  });
});

describe.skipIf(!HAVE_CHROMIUM)('the console migration panel in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let url: string;

  async function checked(name: string): Promise<void> {
    expect(await accessibilityProblems(page), name).toEqual([]);
    const content = await page.content();
    for (const secret of secrets) expect(content, name).not.toContain(secret);
    await page.screenshot({ path: await artifactPath(`console/${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.setExtraHTTPHeaders(ADMIN);
  });

  afterAll(async () => {
    await browser.close();
  });

  it('from the navigation to pause and resume by clicking, every page accessible', async () => {
    const id = m.clicked.id;
    await page.goto(`${url}/admin`);
    await checked('migrations-overview');
    await page.getByRole('navigation').getByRole('link', { name: 'Migrations' }).click();
    await page.waitForURL(/\/admin\/migrations$/);
    await checked('migrations');
    await page.locator(`a[href="/admin/migrations/${id}"]`).click();
    await page.getByRole('link', { name: 'Pause' }).click();
    await page.waitForURL(/confirm\/pause$/);
    await checked('migration-confirm');
    await page.getByRole('button', { name: 'Pause this migration' }).click();
    await page.waitForURL(/done=pause/);
    expect(await page.getByRole('status').innerText()).toContain('Paused.');
    expect(await status(id)).toBe('paused');
    await checked('migration-paused');

    await page.getByRole('link', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Resume this migration' }).click();
    await page.waitForURL(/done=resume/);
    expect(await status(id)).toBe('running');

    await page.goto(`${url}/admin/migrations/${UNKNOWN}`);
    expect(await page.locator('h1').innerText()).toBe('Not found');
    await checked('migration-not-found');
  });
});

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ConnectionId } from '@tokenlane/core';
import { buildApp } from '@tokenlane/ingress';
import { JOB_NAMES, refreshJob } from '@tokenlane/lifecycle';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../../services/ingress/src/test-support/runtime.js';
import { openTestRuntime } from '../support/runtime.js';
import { HAVE_CHROMIUM, artifactPath, launchChromium } from './browser.js';

const PASSWORD = 'dashboard-password-0123';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ADMIN = { authorization: basic('admin', PASSWORD) };
/** A value that must never reach the dashboard, planted in a job that bypassed validation. */
const PLANTED = 'planted-access-token-7f3a9c';

/**
 * The status the browser received for `target`. A 401 with a Basic challenge and no answer
 * makes headless Chromium abort the navigation (ERR_INVALID_AUTH_CREDENTIALS), so the
 * response is taken from the network event rather than from `goto`.
 */
async function statusIn(page: Page, target: string): Promise<number> {
  const response = page.waitForResponse(target);
  await page.goto(target).catch((error: unknown) => {
    if (!String(error).includes('ERR_INVALID_AUTH_CREDENTIALS')) throw error;
  });
  return (await response).status();
}

let opened: Awaited<ReturnType<typeof openTestRuntime>>;
let app: FastifyInstance;
let url: string;
let connectionId: string;

beforeAll(async () => {
  opened = await openTestRuntime({
    providers: {},
    env: { TOKENLANE_ADMIN_PASSWORD: PASSWORD },
  });
  const rt = opened.runtime;
  connectionId = randomUUID();
  // No workers run here: the jobs wait, so the board has something to show.
  await rt.queues.enqueue(
    refreshJob,
    { connectionId: connectionId as ConnectionId, trigger: 'operator' },
    { delay: 60_000 },
  );
  await rt.queues
    .queue('notify')
    .add('notify', { eventId: randomUUID(), accessToken: PLANTED }, { jobId: 'planted' });
  app = buildApp({ runtime: rt });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await app.close();
  await opened.dispose();
});

describe('queue dashboard /admin/queues', () => {
  it('answers 401 with a Basic challenge without credentials, to pages and API alike', async () => {
    for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues']) {
      const response = await app.inject({ method: 'GET', url: path });
      expect(response.statusCode, path).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="tokenlane admin"/);
      expect(response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('answers 401 to a wrong password, a wrong user, a bearer key and garbage', async () => {
    for (const authorization of [
      basic('admin', `${PASSWORD}x`),
      basic('admin', PASSWORD.slice(0, -1)),
      basic('root', PASSWORD),
      basic('admin', ''),
      `Bearer ${PASSWORD}`,
      'Basic !!!',
      `Basic ${Buffer.from(`admin${PASSWORD}`).toString('base64')}`,
    ]) {
      const response = await app.inject({
        method: 'GET',
        url: '/admin/queues',
        headers: { authorization },
      });
      expect(response.statusCode, authorization).toBe(401);
    }
  });

  it('serves the board and its API with the admin password, outside the /v1 API key', async () => {
    const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: ADMIN });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const api = await app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: ADMIN,
    });
    expect(api.statusCode).toBe(200);
    const names = api.json<{ queues: { name: string }[] }>().queues.map((queue) => queue.name);
    expect(names.sort()).toEqual([...JOB_NAMES].sort());
    // The admin password is no API key.
    expect(
      (await app.inject({ method: 'GET', url: '/v1/connections', headers: ADMIN })).statusCode,
    ).toBe(401);
  });

  it('shows job data only as catalog payloads (ids), never a planted field', async () => {
    const refresh = await app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues?activeQueue=refresh&status=delayed',
      headers: ADMIN,
    });
    expect(refresh.body).toContain(connectionId);
    const notify = await app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues?activeQueue=notify&status=waiting',
      headers: ADMIN,
    });
    expect(notify.statusCode).toBe(200);
    expect(notify.body).toContain('job data does not match the job catalog');
    expect(notify.body).not.toContain(PLANTED);
  });

  it('accepts an action from the board (pause, resume) despite the JSON-only body policy', async () => {
    for (const action of ['pause', 'resume']) {
      const response = await app.inject({
        method: 'PUT',
        url: `/admin/queues/api/queues/sweep/${action}`,
        headers: ADMIN,
      });
      expect(response.statusCode, action).toBe(200);
    }
    expect(await opened.runtime.queues.queue('sweep').isPaused()).toBe(false);
  });

  it.skipIf(!HAVE_CHROMIUM)(
    'renders in headless Chromium: 401 without credentials, the queues with them',
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        expect(await statusIn(page, `${url}/admin/queues`)).toBe(401);
        await page.setExtraHTTPHeaders({ authorization: basic('admin', 'wrong-password-000') });
        expect(await statusIn(page, `${url}/admin/queues`)).toBe(401);

        await page.setExtraHTTPHeaders(ADMIN);
        const shown = await page.goto(`${url}/admin/queues`);
        expect(shown?.status()).toBe(200);
        for (const name of JOB_NAMES) {
          await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
        }
        await page.screenshot({ path: await artifactPath('dashboard.png'), fullPage: true });
        expect(await page.locator('body').innerText()).not.toContain(PLANTED);

        await page.goto(`${url}/admin/queues/queue/notify?status=waiting`);
        await page.getByText('job data does not match the job catalog').first().waitFor();
        await page.screenshot({ path: await artifactPath('dashboard-job.png'), fullPage: true });
        expect(await page.content()).not.toContain(PLANTED);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});

describe('queue dashboard without TOKENLANE_ADMIN_PASSWORD', () => {
  it('is not there at all: 404, with or without credentials', async () => {
    const t = await openTestApp('ops_no_dashboard');
    try {
      for (const headers of [{}, ADMIN]) {
        const response = await t.app.inject({ method: 'GET', url: '/admin/queues', headers });
        expect(response.statusCode).toBe(404);
      }
      expect(
        (await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: ADMIN }))
          .statusCode,
      ).toBe(404);
    } finally {
      await t.dispose();
    }
  });
});

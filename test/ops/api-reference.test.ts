import type { AddressInfo } from 'node:net';
import { buildApp } from '@tokenlane/ingress';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime } from '../support/runtime.js';
import { HAVE_CHROMIUM, artifactPath, launchChromium } from './browser.js';

let opened: Awaited<ReturnType<typeof openTestRuntime>>;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  opened = await openTestRuntime({ providers: {} });
  app = buildApp({ runtime: opened.runtime });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await app.close();
  await opened.dispose();
});

describe.skipIf(!HAVE_CHROMIUM)('API reference /docs in headless Chromium', () => {
  it('renders every route from its own assets, with descriptions and examples', async () => {
    const browser = await launchChromium();
    const foreign: string[] = [];
    try {
      const page = await browser.context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('request', (request) => {
        if (!request.url().startsWith(url)) foreign.push(request.url());
      });
      const response = await page.goto(`${url}/docs`);
      expect(response?.status()).toBe(200);
      for (const path of [
        '/v1/links',
        '/v1/connections/{id}/token',
        '/v1/connections/{id}',
        '/v1/events',
        '/webhooks/{provider}',
      ]) {
        await page.locator(`.opblock-summary-path[data-path="${path}"]`).first().waitFor();
      }
      const operations = await page.locator('.opblock').count();
      expect(operations).toBeGreaterThanOrEqual(18);
      await page.screenshot({ path: await artifactPath('api-reference.png'), fullPage: false });

      // One operation opened: its description, error codes and example answer show.
      await page.locator('.opblock-summary-path[data-path="/v1/connections/{id}/token"]').click();
      const block = page.locator('.opblock.is-open').first();
      await block.getByText('Error codes:').waitFor();
      expect(await block.innerText()).toContain('reauth_required');
      expect(await block.innerText()).toContain('"tokenType": "Bearer"');
      await page.screenshot({
        path: await artifactPath('api-reference-operation.png'),
        fullPage: true,
      });
      expect(foreign).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

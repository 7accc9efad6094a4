import type { LinkSessionId } from '@tokenlane/core';
import { LANGUAGES } from '@tokenlane/ingress';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecurityWorld, type SecurityWorld } from '../security/world.js';
import { accessibilityProblems } from './a11y.js';
import { HAVE_CHROMIUM, artifactPath, launchChromium, type Browser } from './browser.js';

/**
 * The end-user pages in a real browser (issue 26): in every language, at 360 px wide and at
 * 200 % zoom (180 CSS px), nothing scrolls sideways, every control is labelled, text keeps its
 * contrast, the strict CSP blocks nothing the page needs, and a screenshot of each page and
 * language lands in test/artifacts/pages/.
 */
let world: SecurityWorld;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  world = await openSecurityWorld(
    { TOKENLANE_APP_NAME: 'Acme Health', TOKENLANE_SUPPORT_URL: 'https://help.acme.example/' },
    (acme) => ({ acme: { ...acme, displayName: 'Acme Cloud' } }),
  );
  await world.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${String((world.app.server.address() as AddressInfo).port)}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  if (!HAVE_CHROMIUM) return;
  await browser.close();
  await world.close();
});

async function connectPath(): Promise<string> {
  const created = await world.api('POST', '/v1/links', { userId: 'app-zoe', provider: 'acme' });
  const { linkWebUrl } = created.json<{ linkId: LinkSessionId; linkWebUrl: string }>();
  return new URL(linkWebUrl).pathname;
}

describe.skipIf(!HAVE_CHROMIUM)('end-user pages in headless Chromium', () => {
  it('read well on a phone and at 200 % zoom, in every language, under the CSP', async () => {
    const pages = {
      connect: await connectPath(),
      'unknown-link': `/connect/${'x'.repeat(43)}`,
      'other-browser': '/oauth/callback?state=unknown&code=abc',
    };
    for (const language of LANGUAGES) {
      const page = await browser.context.newPage();
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
      });
      await page.setExtraHTTPHeaders({ 'accept-language': language });
      try {
        for (const [name, path] of Object.entries(pages)) {
          for (const width of [360, 180]) {
            await page.setViewportSize({ width, height: 720 });
            const answer = await page.goto(`${base}${path}`);
            expect(answer?.headers()['content-language']).toBe(language);
            expect(await page.getAttribute('html', 'lang')).toBe(language);
            const overflow = await page.evaluate<number>(
              'document.documentElement.scrollWidth - window.innerWidth',
            );
            expect(overflow, `${name} ${language} at ${String(width)} px`).toBeLessThanOrEqual(0);
            expect(await accessibilityProblems(page), `${name} ${language}`).toEqual([]);
            if (width === 360) {
              await page.screenshot({
                path: await artifactPath(`pages/${name}-${language}.png`),
                fullPage: true,
              });
            }
          }
        }
        expect(blocked).toEqual([]);
      } finally {
        await page.close();
      }
    }
  }, 120_000);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@tokenlane/queue';
import { KeyRing } from '@tokenlane/vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSettings } from '../../services/worker/src/demo/index.js';
import { completeInteraction } from '../peers/oidc-peer.js';
import {
  createTestDatabase,
  testRedisUrl,
  uniquePrefix,
  type TestDatabase,
} from '../support/harness.js';
import { startService, type ServiceProcess } from '../support/tokenlane-process.js';
import { HAVE_CHROMIUM, artifactPath, launchChromium } from './browser.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';

const API_KEY = 'demo-test-api-key-0123456789';

let database: TestDatabase;
let dir: string;
let standalone: ServiceProcess;
let url: string;
let demoUrl: string;

/** `npm start` as a new user runs it (no providers file), with the demo provider on. */
beforeAll(async () => {
  const [port, demoPort] = [await freePort(), await freePort()];
  url = `http://127.0.0.1:${port}`;
  demoUrl = `http://127.0.0.1:${demoPort}`;
  database = await createTestDatabase('demo');
  dir = await mkdtemp(join(tmpdir(), 'tokenlane-demo-'));
  standalone = await startService(
    'standalone',
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      TOKENLANE_API_KEYS: API_KEY,
      TOKENLANE_ENCRYPTION_KEYS: KeyRing.generateSpec(),
      TOKENLANE_ALLOWED_RETURN_URLS: `${url}/`,
      TOKENLANE_QUEUE_PREFIX: uniquePrefix('demo'),
      TOKENLANE_DATA_DIR: join(dir, 'data'),
      TOKENLANE_DEMO_PORT: String(demoPort),
    },
    `${url}/readyz`,
  );
}, 90_000);

afterAll(async () => {
  await standalone.stop();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

interface LinkView {
  readonly method: string;
  readonly linkWebUrl: string;
}
interface ConnectionView {
  readonly provider: string;
  readonly status: string;
  readonly providerUserId: string | null;
  readonly expiresAt: string | null;
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** POST /v1/links for provider `demo`, back to our own /healthz (an allowed return URL). */
async function startDemoLink(userId: string): Promise<{ linkWebUrl: string; returnUrl: string }> {
  const returnUrl = `${url}/healthz`;
  const link = await api<LinkView>('POST', '/v1/links', { userId, provider: 'demo', returnUrl });
  expect(link.method).toBe('redirect');
  expect(link.linkWebUrl.startsWith(`${url}/connect/`)).toBe(true);
  return { linkWebUrl: link.linkWebUrl, returnUrl };
}

describe('the demo provider under npm start', () => {
  it('is listed as a configured oauth2 provider', async () => {
    const providers = await api<unknown>('GET', '/v1/providers');
    expect(JSON.stringify(providers)).toContain('"demo"');
  });

  it('links a user end to end: any login, PKCE, short-lived tokens with a refresh token', async () => {
    const { linkWebUrl, returnUrl } = await startDemoLink('demo-user-1');
    const browser = new LinkBrowser(viaHttp(url), url);
    const authorizeUrl = await browser.toProvider(linkWebUrl);
    expect(authorizeUrl.startsWith(`${demoUrl}/auth?`)).toBe(true);
    expect(new URL(authorizeUrl).searchParams.get('code_challenge_method')).toBe('S256');
    const callback = await completeInteraction(authorizeUrl, { login: 'alice' });
    expect(callback.href.startsWith(`${url}/oauth/callback?`)).toBe(true);
    const back = await browser.callback(callback);
    expect(back.status).toBe(302);
    const landed = new URL(back.location!);
    expect(`${landed.origin}${landed.pathname}`).toBe(returnUrl);
    expect(landed.searchParams.get('status')).toBe('success');

    const connection = await api<ConnectionView>(
      'GET',
      `/v1/connections/${landed.searchParams.get('connectionId')}`,
    );
    expect(connection).toMatchObject({
      provider: 'demo',
      status: 'active',
      providerUserId: 'alice',
    });
    const lifetime = Date.parse(connection.expiresAt ?? '') - Date.now();
    expect(lifetime).toBeGreaterThan(200_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);
  });

  it('without a returnUrl, ends on the "connected" page', async () => {
    const link = await api<LinkView>('POST', '/v1/links', {
      userId: 'demo-user-3',
      provider: 'demo',
    });
    const page = await new LinkBrowser(viaHttp(url), url).link(link.linkWebUrl, 'carol');
    expect(page.status).toBe(200);
    expect(page.body).toContain('account is connected');
  });

  it.skipIf(!HAVE_CHROMIUM)(
    'links in headless Chromium: sign in with any name, land on returnUrl with status=success',
    async () => {
      const { linkWebUrl, returnUrl } = await startDemoLink('demo-user-2');
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        // tokenlane's own page first: the app and the provider, and a button that continues.
        await page.goto(linkWebUrl);
        await page.screenshot({ path: await artifactPath('demo-connect.png') });
        await page.locator('form[method=post] button[type=submit]').click();
        await page.locator('input[name=login]').waitFor();
        await page.screenshot({ path: await artifactPath('demo-login.png') });
        await page.locator('input[name=login]').fill('bob');
        await page.locator('input[name=password]').fill('anything');
        await page.locator('button[type=submit]').click();
        await page.locator('button[type=submit]', { hasText: 'Continue' }).click();
        await page.waitForURL((target) => target.href.startsWith(returnUrl));
        await page.screenshot({ path: await artifactPath('demo-linked.png') });
        const landed = new URL(page.url());
        expect(landed.searchParams.get('status')).toBe('success');
        const connection = await api<ConnectionView>(
          'GET',
          `/v1/connections/${landed.searchParams.get('connectionId')}`,
        );
        expect(connection).toMatchObject({ provider: 'demo', providerUserId: 'bob' });
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});

describe('demoSettings', () => {
  const config = {
    nodeEnv: 'development',
    port: 3000,
    publicUrl: 'http://localhost:3000',
  } as const;

  it('is on in development at PORT + 2 on the public host, and off in production or on request', () => {
    expect(demoSettings(config, {})).toEqual({ port: 3002, issuer: 'http://localhost:3002' });
    expect(
      demoSettings(
        { ...config, publicUrl: 'https://dev.example:8443' },
        { TOKENLANE_DEMO_PORT: '9000' },
      ),
    ).toEqual({ port: 9000, issuer: 'http://dev.example:9000' });
    expect(demoSettings(config, { TOKENLANE_DEMO: 'off' })).toBeUndefined();
    expect(demoSettings({ ...config, nodeEnv: 'production' }, {})).toBeUndefined();
  });

  it('refuses a bad switch or port with a clear message', () => {
    expect(() => demoSettings(config, { TOKENLANE_DEMO: 'maybe' })).toThrow(
      /TOKENLANE_DEMO must be/,
    );
    expect(() => demoSettings(config, { TOKENLANE_DEMO_PORT: '70000' })).toThrow(
      /TOKENLANE_DEMO_PORT must be a port number/,
    );
  });
});

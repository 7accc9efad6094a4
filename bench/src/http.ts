import { buildApp } from '@tokenlane/ingress';
import { exchangeJob, refreshJob } from '@tokenlane/lifecycle';
import { freePort, startWorkers } from '@tokenlane/queue';
import { Pool } from 'undici';
import { API_KEY, openBenchRuntime, PROVIDER, type Infra } from './infra.js';
import { CONCURRENCY, seedConnections } from './refresh.js';

const RETURN_URL = 'http://127.0.0.1:9/app/linked';

export interface Latency {
  readonly requests: number;
  readonly concurrency: number;
  readonly perSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface HttpResult {
  readonly links: Latency;
  /** GET /oauth/callback → exchange job → redirect back; `exchanged` connections became active. */
  readonly callbacks: Latency & { readonly exchanged: number };
  readonly tokens: Latency;
  readonly stampede: Latency & { readonly grants: number };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `requests` calls from `concurrency` parallel callers; latency of each, in ms. */
export async function load(
  concurrency: number,
  requests: number,
  call: (i: number) => Promise<boolean>,
): Promise<Latency> {
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t0 = performance.now();
        const ok = await call(i).catch(() => false);
        times.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    requests,
    concurrency,
    perSec: requests / seconds,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    errors,
  };
}

/** Sections 4 and 5: the ingress app in-process, loaded over HTTP with undici. */
export async function benchHttp(
  infra: Infra,
  requests: number,
  callers: number,
): Promise<HttpResult> {
  const { rt, close } = await openBenchRuntime(infra, 'http');
  const app = buildApp({ runtime: rt });
  // The worker's own jobs (the refresh payload's tokenVersion makes a late joiner skip).
  const workers = startWorkers([exchangeJob, refreshJob], rt, {
    connection: rt.workerConnection,
    prefix: rt.config.queuePrefix,
    concurrency: { exchange: CONCURRENCY, refresh: CONCURRENCY },
  });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: callers });
  const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
  const send = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ) => {
    const response = await pool.request({
      method,
      path,
      headers: { ...headers, ...extra },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      text: await response.body.text(),
    };
  };
  const ok = async (method: 'GET' | 'POST', path: string) =>
    (await send(method, path)).status === 200;
  try {
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    const states: string[] = [];
    const cookies: string[] = [];
    const links = await load(CONCURRENCY, requests, async (i) => {
      const response = await send('POST', '/v1/links', {
        userId: `link-user-${i}`,
        provider: PROVIDER,
        returnUrl: RETURN_URL,
      });
      // The user presses the button of linkWebUrl's page (tokenlane's /connect/<id>, a POST):
      // a cookie, then the provider.
      const { linkWebUrl } = JSON.parse(response.text) as { linkWebUrl: string };
      const opened = await send('POST', new URL(linkWebUrl).pathname, undefined, {
        'content-type': 'application/x-www-form-urlencoded',
      });
      const location = opened.headers.location;
      const setCookie = opened.headers['set-cookie'];
      states[i] = new URL(String(location)).searchParams.get('state') ?? '';
      cookies[i] = String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0] ?? '';
      return response.status === 201 && opened.status === 303;
    });
    const callbacks = await load(CONCURRENCY, requests, async (i) => {
      const query = new URLSearchParams({ code: `code-${i}`, state: states[i] ?? '' });
      const response = await send('GET', `/oauth/callback?${query.toString()}`, undefined, {
        cookie: cookies[i] ?? '',
      });
      const location = response.headers.location;
      return typeof location === 'string' && location.startsWith(RETURN_URL);
    });
    const { exchanged } = await rt.db
      .selectFrom('connections')
      .select((eb) => eb.fn.countAll<number>().as('exchanged'))
      .where('user_id', 'like', 'link-user-%')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();

    const now = Date.now();
    const [valid] = await seedConnections(
      rt,
      1,
      new Date(now + 3_000_000),
      new Date(now + 3_600_000),
      'valid',
    );
    const tokens = await load(CONCURRENCY, requests, () =>
      ok('GET', `/v1/connections/${valid!}/token`),
    );

    const [expired] = await seedConnections(
      rt,
      1,
      new Date(now - 1000),
      new Date(now - 1000),
      'expired',
    );
    const grantsBefore = await infra.endpoint.grants();
    const stampede = await load(callers, callers, () =>
      ok('GET', `/v1/connections/${expired!}/token`),
    );
    const grants = (await infra.endpoint.grants()) - grantsBefore;
    return {
      links,
      callbacks: { ...callbacks, exchanged },
      tokens,
      stampede: { ...stampede, grants },
    };
  } finally {
    await pool.close();
    await app.close();
    await Promise.all(workers.map((worker) => worker.close(true)));
    await close();
  }
}

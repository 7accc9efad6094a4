import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp, ERROR_CODES } from '@tokenlane/ingress';
import type { Runtime } from '@tokenlane/runtime';
import { hmacSha256 } from '@tokenlane/vault';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { startOidcPeer, type OidcPeer } from '../peers/oidc-peer.js';
import { TEST_PUBLIC_URL, openTestRuntime } from '../support/runtime.js';

/** The key `openTestRuntime` configures. */
export const API_KEY = 'runtime-test-key-0123456789';
export const ALLOWED_RETURN_PREFIX = 'http://127.0.0.1:9/app/';
export const RETURN_URL = `${ALLOWED_RETURN_PREFIX}linked`;
export const CALLBACK_URL = `${TEST_PUBLIC_URL}/oauth/callback`;
export const WEBHOOK_SECRET = 'reliability-webhook-secret-3f9a-0123456';

export const ACME = { clientId: 'rel-acme', clientSecret: 'rel-acme-secret-0a1b2c3d' };
export const BETA = { clientId: 'rel-beta', clientSecret: 'rel-beta-secret-4e5f6a7b' };

/** A custom OAuth 2.0 provider entry on an oidc-provider peer. */
export function providerEntry(
  tokenUrl: string,
  peer: OidcPeer,
  client: { clientId: string; clientSecret: string },
  extra: Record<string, unknown> = {},
) {
  return {
    kind: 'oauth2',
    authorizationUrl: peer.authorizationUrl,
    issuer: peer.issuer,
    tokenUrl,
    revocationUrl: peer.revocationUrl,
    ...client,
    scopes: ['openid', 'offline_access'],
    authorizationParams: { prompt: 'consent' },
    tokenEndpointAuthMethod: 'client_secret_post',
    pkce: true,
    ...extra,
  };
}

/**
 * Records every form body posted to it and forwards the request to `target`: shows which
 * token endpoint received which authorization code.
 */
export interface TokenRecorder {
  readonly url: string;
  readonly bodies: URLSearchParams[];
  close(): Promise<void>;
}

export async function startTokenRecorder(target: string): Promise<TokenRecorder> {
  const bodies: URLSearchParams[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      bodies.push(new URLSearchParams(body));
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization', 'accept']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(target, { method: 'POST', headers, body });
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(await answer.text());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/token`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export interface HostileWorld {
  readonly rt: Runtime;
  readonly app: FastifyInstance;
  readonly logs: string[];
  /** Requires PKCE; provider `acme` (tokens through `acmeRecorder`). */
  readonly peerA: OidcPeer;
  /** PKCE optional at the peer; provider `beta` (tokens through `betaRecorder`). */
  readonly peerB: OidcPeer;
  readonly acmeRecorder: TokenRecorder;
  readonly betaRecorder: TokenRecorder;
  close(): Promise<void>;
}

/**
 * One in-process tokenlane (real Redis and Postgres, `buildApp` + `inject`), two oidc peers and
 * two custom providers on them. Callbacks do not wait for a worker: tests run `exchangeLink`.
 */
export async function openHostileWorld(): Promise<HostileWorld> {
  const peerA = await startOidcPeer({
    requirePkce: true,
    clients: [
      {
        ...ACME,
        redirectUris: [CALLBACK_URL],
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    ],
  });
  const peerB = await startOidcPeer({
    requirePkce: false,
    clients: [
      {
        ...BETA,
        redirectUris: [CALLBACK_URL],
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    ],
  });
  const acmeRecorder = await startTokenRecorder(peerA.tokenUrl);
  const betaRecorder = await startTokenRecorder(peerB.tokenUrl);
  const opened = await openTestRuntime({
    env: {
      TOKENLANE_CALLBACK_WAIT_MS: '0',
      TOKENLANE_ALLOWED_RETURN_URLS: ALLOWED_RETURN_PREFIX,
    },
    providers: {
      acme: providerEntry(acmeRecorder.url, peerA, ACME, { webhookSecret: WEBHOOK_SECRET }),
      beta: providerEntry(betaRecorder.url, peerB, BETA),
    },
  });
  const app = buildApp({ runtime: opened.runtime });
  await app.ready();
  return {
    rt: opened.runtime,
    app,
    logs: opened.logs,
    peerA,
    peerB,
    acmeRecorder,
    betaRecorder,
    close: async () => {
      await app.close();
      await opened.dispose();
      await Promise.all([acmeRecorder.close(), betaRecorder.close()]);
      await Promise.all([peerA.close(), peerB.close()]);
    },
  };
}

export interface StateCounts {
  readonly connections: number;
  readonly linkSessions: number;
  readonly events: number;
  readonly redisKeys: number;
  /** Link sessions by status: a consumed state shows here even when no row is added. */
  readonly sessionStates: string;
}

/** Rows of every table a request may write, and Redis keys under the runtime's prefix. */
export async function stateCounts(rt: Runtime): Promise<StateCounts> {
  const db = rt.db;
  const count = async (table: 'connections' | 'link_sessions' | 'events') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select(db.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const sessions = await db
    .selectFrom('link_sessions')
    .select(['id', 'status'])
    .orderBy('id')
    .execute();
  return {
    connections: await count('connections'),
    linkSessions: await count('link_sessions'),
    events: await count('events'),
    // Not the per-address counter of refused notices: counting them is the rate limit
    // (test/security/webhook-intake.test.ts), not a change of state.
    redisKeys: (await rt.redis.keys(`${rt.config.queuePrefix}:*`)).filter(
      (key) => !key.includes(':intake-failures:'),
    ).length,
    sessionStates: sessions.map((row) => `${row.id}:${row.status}`).join(','),
  };
}

/** The parsed error body of a rejected response, checked against the closed code list. */
export function errorCodeOf(response: LightMyRequestResponse): string {
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new Error(`non-JSON ${String(response.statusCode)} body: ${response.body.slice(0, 200)}`);
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (
    typeof error?.code !== 'string' ||
    typeof error.message !== 'string' ||
    !(ERROR_CODES as readonly string[]).includes(error.code)
  ) {
    throw new Error(`not an error body: ${response.body.slice(0, 200)}`);
  }
  return error.code;
}

/** The generic notice signature (docs/api.md), with the optional signed timestamp. */
export function signNotice(body: string, timestamp?: string): Record<string, string> {
  const payload = timestamp === undefined ? body : `${timestamp}.${body}`;
  return {
    'content-type': 'application/json',
    'x-tokenlane-signature': `sha256=${hmacSha256(WEBHOOK_SECRET, payload, 'hex')}`,
    ...(timestamp === undefined ? {} : { 'x-tokenlane-timestamp': timestamp }),
  };
}

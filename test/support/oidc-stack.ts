import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { findConnection, type Connection } from '@tokenlane/db';
import { startOidcPeer, type OidcPeer } from '../peers/oidc-peer.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { LinkBrowser, viaHttp } from './link-browser.js';
import { RETURN_URL, startStack, type Stack } from './stack.js';

/** How long a link that redirected with status=pending may take to finish its exchange. */
const PENDING_LINK_WAIT_MS = 45_000;

/** tokenlane (ingress + worker processes) with an oidc-provider peer as provider `acme`. */
export interface OidcStack {
  readonly stack: Stack;
  readonly peer: OidcPeer;
  /** In front of the peer's token endpoint, when asked for. */
  readonly proxy: FaultProxy | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Links `userId` through the API and the peer's consent; returns the connection id. */
  link(userId: string, provider?: string): Promise<ConnectionId>;
  row(id: ConnectionId): Promise<Connection>;
  /** Links `count` users named `<prefix>-<i>`, one after the other. */
  linkMany(prefix: string, count: number): Promise<ConnectionId[]>;
  /** Token version, status and last error of each connection, for burst assertions. */
  rows(ids: readonly ConnectionId[]): Promise<BurstRow[]>;
  /** Makes the connections due now: the sweeper enqueues them as one wave. */
  makeDue(ids: readonly ConnectionId[]): Promise<void>;
  close(): Promise<void>;
}

export interface BurstRow {
  readonly id: ConnectionId;
  readonly token_version: number;
  readonly status: string;
  readonly last_error_code: string | null;
}

export interface OidcStackOptions {
  readonly clientId: string;
  /** Access-token lifetime at the peer, in seconds. */
  readonly accessTokenTtl?: number;
  readonly env?: Record<string, string>;
  /** Use this database instead of a fresh one on the shared test cluster. */
  readonly databaseUrl?: string;
  /** Route token calls through a fault proxy (`proxy.setMode`). */
  readonly proxy?: boolean;
  /** More providers-file entries, given the `acme` entry to build on. */
  readonly moreProviders?: (acme: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Whether the peer still honors `token` (introspection with the stack's client); a reused
 * refresh token makes it revoke the whole grant.
 */
export async function activeAtPeer(oidc: OidcStack, token: string): Promise<boolean> {
  const credentials = Buffer.from(`${oidc.clientId}:${oidc.clientSecret}`).toString('base64');
  const response = await fetch(oidc.peer.introspectionUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${credentials}`,
    },
    body: new URLSearchParams({ token }),
  });
  return ((await response.json()) as { active: boolean }).active;
}

/** Starts the peer (refresh-token rotation on), an optional fault proxy, and the stack. */
export async function startOidcStack(options: OidcStackOptions): Promise<OidcStack> {
  const clientSecret = `${options.clientId}-secret-${Math.random().toString(36).slice(2, 10)}`;
  let peer: OidcPeer | undefined;
  let proxy: FaultProxy | undefined;
  const stack = await startStack({
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    providers: async (ingressUrl) => {
      peer = await startOidcPeer({
        refreshTokenRotation: true,
        ...(options.accessTokenTtl === undefined ? {} : { accessTokenTtl: options.accessTokenTtl }),
        clients: [
          {
            clientId: options.clientId,
            clientSecret,
            redirectUris: [`${ingressUrl}/oauth/callback`],
            tokenEndpointAuthMethod: 'client_secret_basic',
          },
        ],
      });
      if (options.proxy === true) proxy = await startFaultProxy(peer.issuer);
      const acme = {
        kind: 'oauth2',
        authorizationUrl: peer.authorizationUrl,
        tokenUrl:
          proxy === undefined ? peer.tokenUrl : `${proxy.url}${new URL(peer.tokenUrl).pathname}`,
        revocationUrl: peer.revocationUrl,
        clientId: options.clientId,
        clientSecret,
        scopes: ['openid', 'offline_access'],
        authorizationParams: { prompt: 'consent' },
        pkce: true,
      };
      return { acme, ...options.moreProviders?.(acme) };
    },
  });
  const started = peer!;
  const link = async (userId: string, provider = 'acme'): Promise<ConnectionId> => {
    const created = await stack.api('POST', '/v1/links', {
      userId,
      provider,
      returnUrl: RETURN_URL,
    });
    const browser = new LinkBrowser(viaHttp(stack.url), stack.url);
    const response = await browser.link((created.body as { linkWebUrl: string }).linkWebUrl);
    const location = new URL(response.location ?? `${RETURN_URL}?status=none`);
    const status = location.searchParams.get('status');
    if (status === 'pending')
      return settledLink(location.searchParams.get('linkId') as LinkSessionId);
    if (status !== 'success') throw new Error(`link of ${userId} ended with ${location.search}`);
    return location.searchParams.get('connectionId') as ConnectionId;
  };
  // An exchange that outlasts the callback's wait (a loaded machine) redirects with
  // status=pending, as documented; the backend then learns the outcome from the link's
  // events. The tests wait for that outcome rather than fail on a slow exchange.
  const settledLink = async (linkId: LinkSessionId): Promise<ConnectionId> => {
    const deadline = Date.now() + PENDING_LINK_WAIT_MS;
    while (Date.now() < deadline) {
      const session = await stack.db.db
        .selectFrom('link_sessions')
        .select(['status', 'result_connection_id'])
        .where('id', '=', linkId)
        .executeTakeFirstOrThrow();
      if (session.status === 'completed' && session.result_connection_id !== null) {
        return session.result_connection_id;
      }
      if (session.status !== 'exchanging') {
        throw new Error(`link ${linkId} ended ${session.status} after a pending redirect`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(
      `link ${linkId} still exchanging ${PENDING_LINK_WAIT_MS} ms after its redirect`,
    );
  };
  return {
    stack,
    peer: started,
    proxy,
    clientId: options.clientId,
    clientSecret,
    link,
    linkMany: async (prefix, count) => {
      const ids: ConnectionId[] = [];
      for (let i = 0; i < count; i += 1) ids.push(await link(`${prefix}-${i}`));
      return ids;
    },
    rows: (ids) =>
      stack.db.db
        .selectFrom('connections')
        .select(['id', 'token_version', 'status', 'last_error_code'])
        .where('id', 'in', [...ids])
        .orderBy('id')
        .execute(),
    makeDue: async (ids) => {
      await stack.db.db
        .updateTable('connections')
        .set({ refresh_due_at: new Date() })
        .where('id', 'in', [...ids])
        .execute();
    },
    row: async (id) => {
      const connection = await findConnection(stack.db.db, id);
      if (connection === undefined) throw new Error(`no connection ${id}`);
      return connection;
    },
    close: async () => {
      await stack.stop();
      await proxy?.close();
      await started.close();
    },
  };
}

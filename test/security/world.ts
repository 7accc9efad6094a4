import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { buildApp } from '@tokenlane/ingress';
import { exchangeJob, exchangeLink } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { startOidcPeer, type OidcPeer } from '../peers/oidc-peer.js';
import {
  ACME,
  ALLOWED_RETURN_PREFIX,
  API_KEY,
  CALLBACK_URL,
  RETURN_URL,
  providerEntry,
  startTokenRecorder,
  type TokenRecorder,
} from '../reliability/support.js';
import { LinkBrowser, viaInject } from '../support/link-browser.js';
import { TEST_PUBLIC_URL, openTestRuntime } from '../support/runtime.js';

export { API_KEY, RETURN_URL };

/**
 * The `exchange` job without its failure handling (a spent code is not recorded as a failed
 * link): these tests look at what the exchange itself leaves behind.
 */
export const bareExchangeJob = {
  ...exchangeJob,
  run: (rt: Runtime, { linkSessionId }: { linkSessionId: LinkSessionId }) =>
    exchangeLink(rt, linkSessionId),
};

/**
 * An in-process tokenlane (real Redis and Postgres, `buildApp` + `inject`) with one
 * oidc-provider peer as provider `acme`, its token and revocation endpoints behind recorders.
 * Callbacks do not wait for a worker: tests run `exchangeLink` themselves.
 */
export interface SecurityWorld {
  readonly rt: Runtime;
  readonly app: FastifyInstance;
  readonly logs: string[];
  readonly peer: OidcPeer;
  readonly tokens: TokenRecorder;
  readonly revocations: TokenRecorder;
  /** A fresh browser (its own cookie jar). */
  browser(): LinkBrowser;
  api(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
    key?: string,
  ): Promise<LightMyRequestResponse>;
  /** Links `userId` as `login` at the peer, exchange included; the connection id. */
  link(userId: string, login: string): Promise<ConnectionId>;
  /** The connection's row as stored, for before/after comparisons. */
  row(id: ConnectionId): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function openSecurityWorld(
  env: Record<string, string> = {},
  /** More providers-file entries, given `acme`'s entry to build on. */
  extraProviders: Record<string, unknown> | ((acme: object) => Record<string, unknown>) = {},
): Promise<SecurityWorld> {
  const peer = await startOidcPeer({
    requirePkce: true,
    clients: [
      { ...ACME, redirectUris: [CALLBACK_URL], tokenEndpointAuthMethod: 'client_secret_post' },
    ],
  });
  const tokens = await startTokenRecorder(peer.tokenUrl);
  const revocations = await startTokenRecorder(peer.revocationUrl);
  const acme = providerEntry(tokens.url, peer, ACME, { revocationUrl: revocations.url });
  const opened = await openTestRuntime({
    env: {
      TOKENLANE_CALLBACK_WAIT_MS: '0',
      TOKENLANE_ALLOWED_RETURN_URLS: ALLOWED_RETURN_PREFIX,
      ...env,
    },
    providers: {
      acme,
      ...(typeof extraProviders === 'function' ? extraProviders(acme) : extraProviders),
    },
  });
  const rt = opened.runtime;
  const app = buildApp({ runtime: rt });
  await app.ready();
  const browser = () => new LinkBrowser(viaInject(app), TEST_PUBLIC_URL);
  const api: SecurityWorld['api'] = (method, url, payload, key = API_KEY) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload }),
    });
  return {
    rt,
    app,
    logs: opened.logs,
    peer,
    tokens,
    revocations,
    browser,
    api,
    link: async (userId, login) => {
      const created = await api('POST', '/v1/links', {
        userId,
        provider: 'acme',
        returnUrl: RETURN_URL,
      });
      expect(created.statusCode, created.body).toBe(201);
      const { linkId, linkWebUrl } = created.json<{ linkId: LinkSessionId; linkWebUrl: string }>();
      const back = await browser().link(linkWebUrl, login);
      expect(back.status, back.body).toBe(302);
      const outcome = await exchangeLink(rt, linkId);
      if (outcome.status !== 'completed') throw new Error(`link ended ${outcome.status}`);
      return outcome.connectionId;
    },
    row: async (id) =>
      rt.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    close: async () => {
      await app.close();
      await opened.dispose();
      await Promise.all([tokens.close(), revocations.close()]);
      await peer.close();
    },
  };
}

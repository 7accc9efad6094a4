import { connect } from 'node:net';
import { activeAtPeer, startOidcStack, type OidcStack } from '../support/oidc-stack.js';
import { API_KEY } from '../support/stack.js';
import { presentedToken, startResourcePeer, type ResourcePeer } from '../peers/resource-peer.js';

/** A key holding only `proxy`: it may call providers, never read a token. */
export const PROXY_KEY = 'backend-proxy-key-0123456789abcdef';

export interface ProxyStack {
  readonly oidc: OidcStack;
  readonly api: ResourcePeer;
  close(): Promise<void>;
}

/**
 * tokenlane in front of the oidc peer (provider `acme`, refreshes through a fault proxy that
 * counts them) whose API is a resource peer checking every token by introspection at the
 * oidc peer; `bare` is the same provider without an `apiBaseUrl`.
 */
export async function startProxyStack(options: {
  clientId: string;
  env?: Record<string, string>;
  accessTokenTtl?: number;
}): Promise<ProxyStack> {
  const started: { oidc?: OidcStack } = {};
  const api = await startResourcePeer({
    authorize: async (req) => {
      const token = presentedToken(req);
      const { oidc } = started;
      return oidc !== undefined && token !== undefined && (await activeAtPeer(oidc, token));
    },
  });
  const oidc = await startOidcStack({
    clientId: options.clientId,
    proxy: true,
    ...(options.accessTokenTtl === undefined ? {} : { accessTokenTtl: options.accessTokenTtl }),
    env: {
      TOKENLANE_API_KEYS: `${API_KEY},backend:proxy:${PROXY_KEY}`,
      ...options.env,
    },
    moreProviders: (acme) => ({
      acme: { ...acme, apiBaseUrl: api.apiBaseUrl, apiHosts: [`${api.url}/other`] },
      bare: acme,
      // 10 calls an hour for the whole app: with the default reserve of 0.2, 8 are proxied calls'.
      budgeted: {
        ...acme,
        apiBaseUrl: api.apiBaseUrl,
        rateLimits: [{ requests: 10, perSeconds: 3600 }],
      },
      // Answers 403 when it refuses a token.
      strict: { ...acme, apiBaseUrl: api.apiBaseUrl, unauthorizedStatuses: [403] },
      // 3 calls an hour per connection.
      peruser: {
        ...acme,
        apiBaseUrl: api.apiBaseUrl,
        rateLimits: [{ requests: 3, perSeconds: 3600, per: 'connection' }],
      },
    }),
  });
  started.oidc = oidc;
  return {
    oidc,
    api,
    close: async () => {
      await oidc.close();
      await api.close();
    },
  };
}

/** Refresh grants the oidc peer received (through the counting fault proxy). */
export function refreshGrants(oidc: OidcStack): number {
  return (oidc.proxy?.requests ?? []).filter((request) =>
    request.body.includes('grant_type=refresh_token'),
  ).length;
}

/**
 * Sends a request line exactly as written (no client normalizes `..` or encodings on the
 * way) and returns the status code and the raw answer.
 */
export function rawRequest(
  port: number,
  method: string,
  target: string,
  key = PROXY_KEY,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${String(port)}\r\n` +
          `Authorization: Bearer ${key}\r\nConnection: close\r\n\r\n`,
      );
    });
    const parts: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => parts.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(parts).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

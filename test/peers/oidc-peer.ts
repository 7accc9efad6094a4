import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { Agent, request } from 'undici';
import { recordSecret } from '../support/secret-ledger.js';
import { unboundedPeerStore } from './peer-store.js';
import { withResources, type PeerResources } from './peer-resources.js';

/** One OAuth client registered at the peer. */
export interface OidcPeerClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
}

export interface OidcPeerOptions {
  readonly clients: readonly OidcPeerClient[];
  /** Access token lifetime in seconds (default 3600). */
  readonly accessTokenTtl?: number;
  /** Issue a new refresh token on every refresh and reject the old one (default true). */
  readonly refreshTokenRotation?: boolean;
  /** Require PKCE on every authorization (default false: used when sent). */
  readonly requirePkce?: boolean;
  /** A path after the origin in the issuer identifier (Oura's `/oauth/v2/ext/oauth-anonymous`). */
  readonly issuerPath?: string;
  /** Where the peer serves these endpoints instead of oidc-provider's paths (Oura's). */
  readonly routes?: Partial<Record<PeerRoute, string>>;
  /** More scope values the peer knows and grants (Oura's `extapi:*`). */
  readonly scopes?: readonly string[];
  /** Issue refresh tokens without `offline_access`, as servers without that scope do (Oura). */
  readonly refreshWithoutOfflineAccess?: boolean;
  /**
   * Resource-server GETs, by path, answered for an access token the peer issued and still
   * honors (else 401): the body for the token's account (Oura's `personal_info`).
   */
  readonly resources?: PeerResources;
}

type PeerRoute = 'authorization' | 'token' | 'revocation' | 'introspection';

const DEFAULT_ROUTES: Readonly<Record<PeerRoute, string>> = {
  authorization: '/auth',
  token: '/token',
  revocation: '/token/revocation',
  introspection: '/token/introspection',
};

export interface OidcPeer {
  readonly origin: string;
  readonly issuer: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly revocationUrl: string;
  readonly introspectionUrl: string;
  readonly userinfoUrl: string;
  close(): Promise<void>;
}

interface HasClientId {
  readonly clientId: string;
}
const sameClient = (_ctx: unknown, client: HasClientId, token: HasClientId) =>
  token.clientId === client.clientId;

/** The account every interaction logs in as, unless told otherwise. */
export const TEST_ACCOUNT = 'test-user-42';

/** The parts of a koa context the peer reads on `grant.success` / `grant.error`. */
interface GrantContext {
  readonly oidc?: { readonly params?: Readonly<Record<string, unknown>> };
  readonly body?: unknown;
}

const asText = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * Writes every secret the peer issues or receives to the run's secret ledger: authorization
 * codes, access and refresh tokens as they are stored, ID tokens and the PKCE verifier of each
 * token request (oidc-provider events; opaque tokens are their `jti`).
 */
function recordIssuedSecrets(provider: Provider, source: string): void {
  const jtiOf = (token: unknown) => asText((token as { jti?: unknown }).jti);
  provider.on('authorization_code.saved', (code) => {
    recordSecret('authorization_code', jtiOf(code), source);
  });
  provider.on('access_token.saved', (token) => {
    recordSecret('access_token', jtiOf(token), source);
  });
  provider.on('refresh_token.saved', (token) => {
    recordSecret('refresh_token', jtiOf(token), source);
  });
  const fromRequest = (ctx: unknown) => {
    const { oidc, body } = ctx as GrantContext;
    recordSecret('pkce_verifier', asText(oidc?.params?.code_verifier), source);
    recordSecret('authorization_code', asText(oidc?.params?.code), source);
    if (typeof body !== 'object' || body === null) return;
    const answer = body as Record<string, unknown>;
    recordSecret('access_token', asText(answer.access_token), source);
    recordSecret('refresh_token', asText(answer.refresh_token), source);
    recordSecret('id_token', asText(answer.id_token), source);
  };
  provider.on('grant.success', fromRequest);
  provider.on('grant.error', fromRequest);
}

/**
 * Starts panva's oidc-provider in-process on 127.0.0.1 and a free port: code flow with PKCE,
 * both client_secret methods, refresh tokens for `offline_access`, revocation, introspection
 * and userinfo, and the dev interactions (driven over HTTP by `completeInteraction`). Its
 * paths, issuer and scopes can be shaped like a provider's, and it can answer a provider's
 * resource GETs (options). Every client secret, code, token and verifier goes to the run's
 * secret ledger.
 */
export async function startOidcPeer(options: OidcPeerOptions): Promise<OidcPeer> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => {
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}${options.issuerPath ?? ''}`;
  const routes = { ...DEFAULT_ROUTES, ...options.routes };

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rotation = options.refreshTokenRotation ?? true;
  for (const client of options.clients) {
    recordSecret('client_secret', client.clientSecret, `oidc-peer ${issuer}`);
  }
  const provider = new Provider(issuer, {
    adapter: unboundedPeerStore(),
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    jwks: {
      keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'peer', use: 'sig', alg: 'RS256' }],
    },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    findAccount: (_ctx: unknown, accountId: string) => ({
      accountId,
      claims: () => ({ sub: accountId, email: `${accountId}@peer.test` }),
    }),
    claims: { openid: ['sub'], email: ['email'] },
    scopes: ['openid', 'offline_access', 'email', ...(options.scopes ?? [])],
    routes,
    issueRefreshToken: (_ctx: unknown, client: PeerClient, source: GrantSource) =>
      client.grantTypeAllowed('refresh_token') &&
      (options.refreshWithoutOfflineAccess === true || source.scopes.has('offline_access')),
    features: {
      devInteractions: { enabled: true },
      // Only the client a token was issued to may revoke or introspect it.
      revocation: { enabled: true, allowedPolicy: sameClient },
      introspection: { enabled: true, allowedPolicy: sameClient },
      userinfo: { enabled: true },
    },
    pkce: { required: () => options.requirePkce ?? false },
    rotateRefreshToken: () => rotation,
    ttl: {
      AccessToken: options.accessTokenTtl ?? 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 24 * 3600,
    },
  });
  recordIssuedSecrets(provider, `oidc-peer ${issuer}`);
  handle = withResources(provider, options.resources ?? {});

  return {
    origin,
    issuer,
    authorizationUrl: `${origin}${routes.authorization}`,
    tokenUrl: `${origin}${routes.token}`,
    revocationUrl: `${origin}${routes.revocation}`,
    introspectionUrl: `${origin}${routes.introspection}`,
    userinfoUrl: `${origin}/me`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    },
  };
}

/** The parts of oidc-provider's client and grant source its `issueRefreshToken` reads. */
interface PeerClient {
  grantTypeAllowed(grant: string): boolean;
}
interface GrantSource {
  readonly scopes: ReadonlySet<string>;
}

function storeCookies(jar: Map<string, string>, header: string | string[] | undefined) {
  for (const line of typeof header === 'string' ? [header] : (header ?? [])) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const expired = attributes.some(
      (a) => /^\s*expires=.*1970/i.test(a) || /^\s*max-age=0/i.test(a),
    );
    if (expired) jar.delete(name);
    else jar.set(name, pair.slice(eq + 1).trim());
  }
}

const unescapeHtml = (value: string) => value.replace(/&amp;/g, '&').replace(/&#x2F;/g, '/');

/**
 * Plays the user at the peer: follows redirects by hand with a cookie jar, signs in on the
 * dev login form and confirms the consent form, and returns the redirect back to the client
 * (the first one leaving the peer's origin) carrying `code` and `state`.
 */
export async function completeInteraction(
  authorizationUrl: string,
  options: { readonly login?: string } = {},
): Promise<URL> {
  const agent = new Agent();
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  let form: string | undefined;
  try {
    for (let hop = 0; hop < 20; hop += 1) {
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await request(url, {
        method: form === undefined ? 'GET' : 'POST',
        headers: {
          ...(cookie === '' ? {} : { cookie }),
          ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        body: form ?? null,
        dispatcher: agent,
      });
      storeCookies(jar, response.headers['set-cookie']);
      const html = await response.body.text();
      const location = response.headers.location;
      form = undefined;
      if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
        const next = new URL(location, url);
        if (next.origin !== origin) {
          // Also the codes of authorization servers that are not this peer (the demo provider).
          recordSecret('authorization_code', next.searchParams.get('code') ?? undefined, origin);
          return next;
        }
        url = next;
        continue;
      }
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (response.statusCode !== 200 || action === undefined || prompt === undefined) {
        throw new Error(
          `peer answered ${response.statusCode} at ${url.pathname}: ${html.slice(0, 300)}`,
        );
      }
      url = new URL(unescapeHtml(action), url);
      form = new URLSearchParams(
        prompt === 'login'
          ? { prompt, login: options.login ?? TEST_ACCOUNT, password: 'any' }
          : { prompt },
      ).toString();
    }
    throw new Error('too many redirects at the peer');
  } finally {
    await agent.close();
  }
}

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

/** The provider id the demo registers under (docs/api.md, "Providers file", `kind: oauth2`). */
export const DEMO_PROVIDER_ID = 'demo';
export const DEMO_CLIENT_ID = 'tokenlane-demo';
/** Short, so a refresh shows up in the first minutes of a demo. */
export const DEMO_ACCESS_TOKEN_TTL_SECONDS = 300;

export interface DemoProviderOptions {
  /** The issuer URL the browser and tokenlane both reach, e.g. `http://localhost:3002`. */
  readonly issuer: string;
  readonly port: number;
  readonly host?: string;
  /** tokenlane's `${PUBLIC_URL}/oauth/callback`, the client's one redirect URI. */
  readonly callbackUrl: string;
}

export interface DemoProvider {
  readonly issuer: string;
  /** The providers-file entry of provider `demo` (for `openRuntime({ extraProviders })`). */
  readonly providers: Readonly<Record<string, object>>;
  close(): Promise<void>;
}

/**
 * A local OAuth 2.0 / OpenID Connect authorization server (panva's oidc-provider) for a first
 * link without outside credentials: one confidential client, PKCE required, refresh tokens
 * rotated on every use, 5-minute access tokens, and the development login page where any
 * name signs in. Its state lives in memory: after a restart, earlier demo connections
 * need a new link (their refresh tokens are gone with it).
 */
export async function startDemoProvider(options: DemoProviderOptions): Promise<DemoProvider> {
  const issuer = options.issuer.replace(/\/+$/, '');
  // Generated per start: nothing to configure, nothing to leak beyond this process.
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_secret: clientSecret,
        redirect_uris: [options.callbackUrl],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: {
      keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'demo', use: 'sig', alg: 'RS256' }],
    },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    findAccount: (_ctx: unknown, accountId: string) => ({
      accountId,
      claims: () => ({ sub: accountId, name: accountId }),
    }),
    claims: { openid: ['sub'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'profile'],
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    pkce: { required: () => true },
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: DEMO_ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 24 * 3600,
    },
  });
  const server = createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          `the demo provider cannot listen on port ${options.port} (${error.code ?? error.message}): set TOKENLANE_DEMO_PORT, or TOKENLANE_DEMO=off`,
        ),
      );
    });
    server.listen(options.port, options.host ?? '0.0.0.0', resolve);
  });

  return {
    issuer,
    providers: {
      [DEMO_PROVIDER_ID]: {
        kind: 'oauth2',
        authorizationUrl: `${issuer}/auth`,
        tokenUrl: `${issuer}/token`,
        revocationUrl: `${issuer}/token/revocation`,
        clientId: DEMO_CLIENT_ID,
        clientSecret,
        scopes: ['openid', 'offline_access', 'profile'],
        // oidc-provider issues a refresh token for offline_access only after explicit consent.
        authorizationParams: { prompt: 'consent' },
        tokenEndpointAuthMethod: 'client_secret_basic',
        pkce: true,
      },
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordSecret } from '../support/secret-ledger.js';

const SOURCE = 'scripted-provider';

/**
 * How the scripted provider answers a user's refresh: `ok` issues a new pair (rotating the
 * refresh token), the others are the documented refusals a deployment meets over years.
 */
export type RefreshAnswer =
  | 'ok'
  /** 401 `invalid_client`: our client secret was rotated at the provider. */
  | 'invalid_client'
  /** 410 Gone: the API was retired (Fitbit's Web API answers so since its shutdown). */
  | 'gone'
  /** 503: the provider is down. */
  | 'unavailable'
  /** 400 `invalid_grant`: the user revoked access. */
  | 'invalid_grant'
  /** `ok`, after {@link SLOW_ANSWER_MS}: a refresh that is in flight long enough to race. */
  | 'slow';

/** How long a `slow` answer takes. */
export const SLOW_ANSWER_MS = 2_000;

/**
 * A small OAuth 2.0 provider of our own whose refresh answers are chosen per user by the test,
 * and which counts every token request it sees per user: the number a failure policy is
 * judged by. `/authorize?user=<name>&…` consents at once for that user (no UI).
 */
export interface ScriptedProvider {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The providers-file entry for it (`kind`, endpoints, credentials). */
  entry(): Record<string, unknown>;
  /** From now on, answer `user`'s refreshes this way. */
  script(user: string, answer: RefreshAnswer): void;
  /** Refresh requests seen for `user`, with the time each arrived. */
  refreshes(user: string): readonly number[];
  /** Users whose grant was revoked at `POST /revoke` (RFC 7009), in order. */
  revocations(): readonly string[];
  close(): Promise<void>;
}

const ACCESS_TTL_SECONDS = 20;

export async function startScriptedProvider(
  options: {
    accessTokenTtl?: number;
    /**
     * Answer like Fitbit and Google Health about who the user is: `user_id` in token answers,
     * and `GET /v4/users/me/identity` → `{healthUserId: "gh-<user>", legacyUserId: "<user>"}`.
     */
    identity?: boolean;
  } = {},
): Promise<ScriptedProvider> {
  const clientId = `scripted-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(16).toString('hex');
  recordSecret('client_secret', clientSecret, SOURCE);
  const ttl = options.accessTokenTtl ?? ACCESS_TTL_SECONDS;
  const codes = new Map<string, string>();
  const refreshTokens = new Map<string, string>();
  const answers = new Map<string, RefreshAnswer>();
  const seen = new Map<string, number[]>();
  const accessTokens = new Map<string, string>();
  const revoked: string[] = [];

  const issue = (user: string) => {
    const access = `at-${randomBytes(16).toString('hex')}`;
    const refresh = `rt-${randomBytes(16).toString('hex')}`;
    recordSecret('access_token', access, SOURCE);
    recordSecret('refresh_token', refresh, SOURCE);
    refreshTokens.set(refresh, user);
    accessTokens.set(access, user);
    return {
      access_token: access,
      refresh_token: refresh,
      token_type: 'Bearer',
      expires_in: ttl,
      ...(options.identity === true ? { user_id: user } : {}),
    };
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const token = (form: URLSearchParams, req: IncomingMessage, res: ServerResponse) => {
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const authenticated =
      req.headers.authorization === basic ||
      (form.get('client_id') === clientId && form.get('client_secret') === clientSecret);
    if (form.get('grant_type') === 'authorization_code') {
      const user = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!authenticated) {
        send(res, 401, { error: 'invalid_client' });
        return;
      }
      if (user === undefined) {
        send(res, 400, { error: 'invalid_grant' });
        return;
      }
      send(res, 200, issue(user));
      return;
    }
    const presented = form.get('refresh_token') ?? '';
    const user = refreshTokens.get(presented);
    if (user !== undefined) seen.set(user, [...(seen.get(user) ?? []), Date.now()]);
    const answer = user === undefined ? 'invalid_grant' : (answers.get(user) ?? 'ok');
    if (answer === 'invalid_client' || !authenticated) {
      send(res, 401, { error: 'invalid_client' });
      return;
    }
    if (answer === 'gone') {
      send(res, 410, { errors: [{ errorType: 'request' }] });
      return;
    }
    if (answer === 'unavailable') {
      send(res, 503, { error: 'temporarily_unavailable' });
      return;
    }
    if (answer === 'invalid_grant' || user === undefined) {
      send(res, 400, { error: 'invalid_grant' });
      return;
    }
    refreshTokens.delete(presented);
    const tokens = issue(user);
    if (answer === 'slow') {
      setTimeout(() => {
        send(res, 200, tokens);
      }, SLOW_ANSWER_MS);
    } else send(res, 200, tokens);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://peer');
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const code = `code-${randomBytes(12).toString('hex')}`;
      recordSecret('authorization_code', code, SOURCE);
      codes.set(code, url.searchParams.get('user') ?? 'anonymous');
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href });
      res.end();
      return;
    }
    if (
      options.identity === true &&
      req.method === 'GET' &&
      url.pathname === '/v4/users/me/identity'
    ) {
      const user = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (user === undefined) send(res, 401, { error: { code: 401 } });
      else
        send(res, 200, {
          name: 'users/me/identity',
          healthUserId: `gh-${user}`,
          legacyUserId: user,
        });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/revoke') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const token = new URLSearchParams(Buffer.concat(chunks).toString()).get('token') ?? '';
        const user = refreshTokens.get(token) ?? accessTokens.get(token);
        if (user !== undefined) revoked.push(user);
        refreshTokens.delete(token);
        send(res, 200, {});
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        token(new URLSearchParams(Buffer.concat(chunks).toString()), req, res);
      });
      return;
    }
    send(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    clientId,
    clientSecret,
    entry: () => ({
      kind: 'oauth2',
      authorizationUrl: `${url}/authorize`,
      tokenUrl: `${url}/token`,
      revocationUrl: `${url}/revoke`,
      clientId,
      clientSecret,
      scopes: ['read'],
      pkce: false,
      apiBaseUrl: url,
    }),
    script: (user, answer) => answers.set(user, answer),
    refreshes: (user) => seen.get(user) ?? [],
    revocations: () => revoked,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

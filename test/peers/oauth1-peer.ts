import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { recordSecret } from '../support/secret-ledger.js';
import { oauth1Verifier } from './oauth1-verify.js';

export interface OAuth1PeerOptions {
  /** Consumer key → consumer secret. */
  readonly consumers: Readonly<Record<string, string>>;
  /** The user every authorization approves as (default `garmin-user-7`). */
  readonly userId?: string;
  /** Accepted clock skew of `oauth_timestamp`, in seconds (default 300). */
  readonly maxSkewSeconds?: number;
  /**
   * Answer request tokens with `oauth_callback_confirmed=true` (default), as RFC 5849 §2.1
   * requires; false plays an OAuth 1.0 server that ignores the callback.
   */
  readonly callbackConfirmed?: boolean;
}

export interface OAuth1Peer {
  readonly url: string;
  readonly requestTokenUrl: string;
  readonly authorizationUrl: string;
  readonly accessTokenUrl: string;
  /** Garmin-shaped API: GET `${url}/wellness-api/rest/user/id`, DELETE `…/user/registration`. */
  readonly apiBaseUrl: string;
  readonly revocationUrl: string;
  readonly userId: string;
  /** The providers-file fields of a Garmin-shaped OAuth 1.0a entry on this peer, as `consumerKey`. */
  entry(consumerKey: string): {
    clientId: string;
    clientSecret: string;
    requestTokenUrl: string;
    authorizationUrl: string;
    accessTokenUrl: string;
    apiBaseUrl: string;
    revocationUrl: string;
  };
  /** Plays the user approving at the authorization URL; returns the callback redirect (or `oob` page URL with `oauth_verifier`). */
  approve(authorizationUrl: string): Promise<URL>;
  /** Access tokens the peer considers live. */
  liveAccessTokens(): number;
  /** From now on, answer the user id look-up with this status (undefined: answer normally). */
  failUserIdLookups(status: number | undefined): void;
  /**
   * Stalls request-token answers until `release()`: `arrived` settles when the first stalled
   * request is in (to look at what the caller holds open while it waits on the provider).
   */
  holdRequestTokens(): RequestTokenHold;
  close(): Promise<void>;
}

export interface RequestTokenHold {
  readonly arrived: Promise<void>;
  release(): void;
}

interface RequestTokenState {
  readonly secret: string;
  readonly consumerKey: string;
  readonly callback: string;
  verifier?: string;
}

const random = () => randomBytes(16).toString('hex');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'application/x-www-form-urlencoded',
): ServerResponse {
  return res.writeHead(status, { 'content-type': type }).end(body);
}

/**
 * A small OAuth 1.0a server (RFC 5849): temporary credentials, authorization with a verifier,
 * token credentials, and Garmin-shaped protected resources. Signatures are checked with
 * `oauth-sign`, an implementation independent of the client's `oauth-1.0a`, plus nonce and
 * timestamp checks. Consumer secrets, token secrets, verifiers and access tokens go to the
 * run's secret ledger (the request token itself travels in the authorization URL, by design).
 */
export async function startOAuth1Peer(options: OAuth1PeerOptions): Promise<OAuth1Peer> {
  const userId = options.userId ?? 'garmin-user-7';
  const requestTokens = new Map<string, RequestTokenState>();
  const accessTokens = new Map<string, { secret: string; consumerKey: string }>();
  let userIdFailure: number | undefined;
  let hold: { arrive: () => void; released: Promise<void> } | undefined;
  const source = 'oauth1-peer';
  for (const secret of Object.values(options.consumers)) {
    recordSecret('client_secret', secret, source);
  }

  /** The RFC 5849 §3.2 checks; a problem name for `oauth_problem`, or the verified params. */
  const verify = oauth1Verifier({
    consumers: options.consumers,
    maxSkewSeconds: options.maxSkewSeconds,
    rejectOtherVersions: true,
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://peer');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const unauthorized = (problem: string) => reply(res, 401, `oauth_problem=${problem}`);
    switch (route) {
      case 'POST /oauth/request_token': {
        if (hold !== undefined) {
          hold.arrive();
          await hold.released;
        }
        const result = verify(req, body, () => undefined);
        if ('problem' in result) return unauthorized(result.problem);
        const callback = result.params.oauth_callback;
        if (callback === undefined) return reply(res, 400, 'oauth_problem=parameter_absent');
        const token = random();
        const secret = random();
        recordSecret('oauth1_token_secret', secret, source);
        requestTokens.set(token, {
          secret,
          consumerKey: result.params.oauth_consumer_key ?? '',
          callback,
        });
        return reply(
          res,
          200,
          new URLSearchParams({
            oauth_token: token,
            oauth_token_secret: secret,
            ...(options.callbackConfirmed === false ? {} : { oauth_callback_confirmed: 'true' }),
          }).toString(),
        );
      }
      case 'GET /oauth/authorize': {
        const state = requestTokens.get(url.searchParams.get('oauth_token') ?? '');
        if (state === undefined) return reply(res, 400, 'unknown request token', 'text/plain');
        state.verifier = random();
        recordSecret('oauth1_verifier', state.verifier, source);
        const token = url.searchParams.get('oauth_token') ?? '';
        const target =
          state.callback === 'oob' ? new URL('/oauth/pin', url) : new URL(state.callback);
        target.searchParams.set('oauth_token', token);
        target.searchParams.set('oauth_verifier', state.verifier);
        return res
          .writeHead(302, {
            location: state.callback === 'oob' ? `${target.pathname}${target.search}` : target.href,
          })
          .end();
      }
      case 'POST /oauth/access_token': {
        const result = verify(req, body, (token) => requestTokens.get(token)?.secret);
        if ('problem' in result) return unauthorized(result.problem);
        const token = result.params.oauth_token ?? '';
        const state = requestTokens.get(token);
        if (state?.verifier === undefined || state.verifier !== result.params.oauth_verifier) {
          return unauthorized('verifier_invalid');
        }
        requestTokens.delete(token);
        const access = random();
        const secret = random();
        recordSecret('oauth1_access_token', access, source);
        recordSecret('oauth1_token_secret', secret, source);
        accessTokens.set(access, { secret, consumerKey: state.consumerKey });
        return reply(
          res,
          200,
          new URLSearchParams({ oauth_token: access, oauth_token_secret: secret }).toString(),
        );
      }
      case 'GET /wellness-api/rest/user/id':
      case 'DELETE /wellness-api/rest/user/registration': {
        const result = verify(req, body, (token) => accessTokens.get(token)?.secret);
        if ('problem' in result) return unauthorized(result.problem);
        if (req.method === 'GET' && userIdFailure !== undefined) {
          return reply(res, userIdFailure, 'unavailable', 'text/plain');
        }
        if (req.method === 'DELETE') {
          accessTokens.delete(result.params.oauth_token ?? '');
          return res.writeHead(204).end();
        }
        return reply(res, 200, JSON.stringify({ userId }), 'application/json');
      }
      default:
        return reply(res, 404, 'not found', 'text/plain');
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = {
    requestTokenUrl: `${base}/oauth/request_token`,
    authorizationUrl: `${base}/oauth/authorize`,
    accessTokenUrl: `${base}/oauth/access_token`,
    apiBaseUrl: base,
    revocationUrl: `${base}/wellness-api/rest/user/registration`,
  };

  return {
    url: base,
    ...urls,
    userId,
    entry(consumerKey) {
      const clientSecret = options.consumers[consumerKey];
      if (clientSecret === undefined) throw new Error(`unknown consumer ${consumerKey}`);
      return { clientId: consumerKey, clientSecret, ...urls };
    },
    async approve(authorizationUrl) {
      const agent = new Agent();
      try {
        const response = await request(authorizationUrl, { dispatcher: agent });
        await response.body.dump();
        const location = response.headers.location;
        if (typeof location !== 'string')
          throw new Error(`peer did not redirect (${response.statusCode})`);
        return new URL(location, base);
      } finally {
        await agent.close();
      }
    },
    liveAccessTokens: () => accessTokens.size,
    failUserIdLookups(status) {
      userIdFailure = status;
    },
    holdRequestTokens() {
      let arrive = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      hold = { arrive, released };
      return {
        arrived,
        release: () => {
          hold = undefined;
          release();
        },
      };
    },
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

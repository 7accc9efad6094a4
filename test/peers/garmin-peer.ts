import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordSecret } from '../support/secret-ledger.js';
import { oauth1Verifier } from './oauth1-verify.js';

const SOURCE = 'garmin-peer';
const random = (prefix: string) => `${prefix}-${randomBytes(16).toString('hex')}`;

/** A Garmin-shaped provider in both protocols, and the exchange between them. */
export interface GarminPeer {
  readonly url: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  /** OAuth 2.0 client (garmin-oauth2). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Providers-file entries pointing `garmin` and `garmin-oauth2` here. */
  entries(extra?: { webhookSecret?: string }): { garmin: object; 'garmin-oauth2': object };
  /** An OAuth 1.0a grant the user made earlier (as if linked): token and secret. */
  grantOAuth1(userId: string): { token: string; secret: string };
  /** The user revoked access at Garmin: their OAuth 1.0a token no longer exchanges. */
  revokeOAuth1(userId: string): void;
  /** Delay every exchange answer (to have some in flight when a worker is killed). */
  setExchangeDelay(ms: number): void;
  /**
   * Answer every exchange with a bare 401 and no body, as a provider that does not say why
   * (Garmin publishes no error bodies): a wrong consumer secret and a dead token look alike.
   */
  refuseEveryExchange(refuse: boolean): void;
  /** Consumer-only request-token calls seen (the control of a grant check). */
  requestTokenCalls(): number;
  /** Signed user-id look-ups with an OAuth 1.0a token seen (the grant check). */
  oauth1UserIdCalls(): number;
  /** Exchanges answered with a token pair, by Garmin user id. */
  exchanges(userId: string): number;
  /** All exchange requests seen (answered or refused). */
  exchangeRequests(): number;
  /** When each exchange request arrived (ms since epoch), in order. */
  exchangeTimes(): readonly number[];
  /** The Garmin user id an OAuth 2.0 access token belongs to, if it is live. */
  userOfAccessToken(token: string): string | undefined;
  refreshes(): number;
  close(): Promise<void>;
}

/**
 * How the peer's token exchange treats an OAuth 1.0a token it has exchanged:
 * - `repeatable` (the default): the token stays valid and exchanges again, as Garmin's
 *   migration notes say OAuth 1.0a tokens keep working after the exchange;
 * - `single-use`: the token is spent the moment the pair is issued, the strictest reading.
 */
export type GarminExchangeMode = 'repeatable' | 'single-use';

/**
 * A Garmin-shaped peer: OAuth 1.0a signed requests (checked by an independent verifier,
 * `oauth-sign`), a consumer-only request-token endpoint, the token exchange
 * ({@link GarminExchangeMode}), an OAuth 2.0 token endpoint with refresh-token rotation
 * (client_secret in the form), the user id look-up and deregistration with either
 * credential. Every secret it issues goes to the run's secret ledger.
 */
export async function startGarminPeer(
  options: {
    accessTtlSeconds?: number;
    refreshTtlSeconds?: number;
    exchange?: GarminExchangeMode;
  } = {},
): Promise<GarminPeer> {
  const consumerKey = `garmin-key-${randomBytes(4).toString('hex')}`;
  const consumerSecret = random('garmin-consumer-secret');
  const clientId = `garmin-client-${randomBytes(4).toString('hex')}`;
  const clientSecret = random('garmin-client-secret');
  recordSecret('client_secret', consumerSecret, SOURCE);
  recordSecret('client_secret', clientSecret, SOURCE);
  const verify = oauth1Verifier({ consumers: { [consumerKey]: consumerSecret } });
  const oauth1 = new Map<string, { secret: string; userId: string }>();
  const access = new Map<string, string>();
  const refresh = new Map<string, string>();
  const exchanged = new Map<string, number>();
  const exchangeTimes: number[] = [];
  let refreshCount = 0;
  let delayMs = 0;
  let refuseAll = false;
  let requestTokenCount = 0;
  let oauth1UserIdCount = 0;

  const issuePair = (userId: string) => {
    const accessToken = random('garmin-at');
    const refreshToken = random('garmin-rt');
    recordSecret('access_token', accessToken, SOURCE);
    recordSecret('refresh_token', refreshToken, SOURCE);
    access.set(accessToken, userId);
    refresh.set(refreshToken, userId);
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'bearer',
      expires_in: options.accessTtlSeconds ?? 86_400,
      refresh_token_expires_in: options.refreshTtlSeconds ?? 7_776_000,
      scope: 'PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE',
    };
  };

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const bearerUser = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? '';
    return header.startsWith('Bearer ') ? access.get(header.slice(7)) : undefined;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? '/', 'http://peer');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'POST /partner-gateway/rest/user/token-exchange': {
        exchangeTimes.push(Date.now());
        if (refuseAll) return res.writeHead(401).end();
        const result = verify(req, body, (token) => oauth1.get(token)?.secret);
        if ('problem' in result) {
          return res
            .writeHead(401, { 'content-type': 'text/plain' })
            .end(`oauth_problem=${result.problem}`);
        }
        const token = result.params.oauth_token ?? '';
        const grant = oauth1.get(token);
        if (grant === undefined) return json(res, 401, { error: 'invalid_token' });
        if (options.exchange === 'single-use') oauth1.delete(token);
        const pair = issuePair(grant.userId);
        exchanged.set(grant.userId, (exchanged.get(grant.userId) ?? 0) + 1);
        if (delayMs > 0) await sleep(delayMs);
        return json(res, 200, pair);
      }
      case 'POST /di-oauth2-service/oauth/token': {
        const form = new URLSearchParams(body);
        if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
          return json(res, 401, { error: 'invalid_client' });
        }
        const userId = refresh.get(form.get('refresh_token') ?? '');
        if (form.get('grant_type') !== 'refresh_token' || userId === undefined) {
          return json(res, 400, { error: 'invalid_grant' });
        }
        refresh.delete(form.get('refresh_token') ?? '');
        refreshCount += 1;
        return json(res, 200, issuePair(userId));
      }
      case 'POST /oauth/request_token': {
        requestTokenCount += 1;
        const result = verify(req, body, () => undefined);
        if ('problem' in result) {
          return res
            .writeHead(401, { 'content-type': 'text/plain' })
            .end(`oauth_problem=${result.problem}`);
        }
        const requestToken = random('garmin-request-token');
        const requestSecret = random('garmin-request-secret');
        recordSecret('oauth1_access_token', requestToken, SOURCE);
        recordSecret('oauth1_token_secret', requestSecret, SOURCE);
        return res
          .writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' })
          .end(
            `oauth_token=${requestToken}&oauth_token_secret=${requestSecret}&oauth_callback_confirmed=true`,
          );
      }
      case 'GET /wellness-api/rest/user/id': {
        if (req.headers.authorization?.startsWith('OAuth ') === true) {
          oauth1UserIdCount += 1;
          const result = verify(req, body, (token) => oauth1.get(token)?.secret);
          if ('problem' in result) {
            return res
              .writeHead(401, { 'content-type': 'text/plain' })
              .end(`oauth_problem=${result.problem}`);
          }
          return json(res, 200, { userId: oauth1.get(result.params.oauth_token ?? '')?.userId });
        }
        const userId = bearerUser(req);
        if (userId === undefined) return json(res, 401, { error: 'invalid_token' });
        return json(res, 200, { userId });
      }
      case 'DELETE /wellness-api/rest/user/registration': {
        const userId = bearerUser(req);
        if (userId === undefined) return json(res, 401, { error: 'invalid_token' });
        for (const [token, owner] of access) if (owner === userId) access.delete(token);
        return res.writeHead(204).end();
      }
      default:
        return json(res, 404, { error: 'not_found' });
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString()).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    consumerKey,
    consumerSecret,
    clientId,
    clientSecret,
    entries: (extra = {}) => ({
      garmin: {
        clientId: consumerKey,
        clientSecret: consumerSecret,
        requestTokenUrl: `${url}/oauth/request_token`,
        authorizationUrl: `${url}/oauth/authorize`,
        accessTokenUrl: `${url}/oauth/access_token`,
        tokenExchangeUrl: `${url}/partner-gateway/rest/user/token-exchange`,
        apiBaseUrl: url,
        revocationUrl: `${url}/wellness-api/rest/user/registration`,
        // The exchange must stay testable past Garmin's real sunset.
        sunsetAt: null,
        ...extra,
      },
      'garmin-oauth2': {
        clientId,
        clientSecret,
        authorizationUrl: `${url}/oauth2Confirm`,
        tokenUrl: `${url}/di-oauth2-service/oauth/token`,
        apiBaseUrl: url,
        revocationUrl: `${url}/wellness-api/rest/user/registration`,
        ...extra,
      },
    }),
    grantOAuth1(userId) {
      const token = random('garmin-oauth1-token');
      const secret = random('garmin-oauth1-secret');
      recordSecret('oauth1_access_token', token, SOURCE);
      recordSecret('oauth1_token_secret', secret, SOURCE);
      oauth1.set(token, { secret, userId });
      return { token, secret };
    },
    revokeOAuth1(userId) {
      for (const [token, grant] of oauth1) if (grant.userId === userId) oauth1.delete(token);
    },
    setExchangeDelay: (ms) => {
      delayMs = ms;
    },
    refuseEveryExchange: (refuse) => {
      refuseAll = refuse;
    },
    requestTokenCalls: () => requestTokenCount,
    oauth1UserIdCalls: () => oauth1UserIdCount,
    exchanges: (userId) => exchanged.get(userId) ?? 0,
    exchangeRequests: () => exchangeTimes.length,
    exchangeTimes: () => exchangeTimes,
    userOfAccessToken: (token) => access.get(token),
    refreshes: () => refreshCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

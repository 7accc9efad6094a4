import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One identity look-up the peer answered: the account its token named, and the status. */
export interface IdentityCall {
  readonly account: string | undefined;
  readonly status: number;
}

/**
 * The Google Health API's `GET /v4/users/me/identity`, in front of an authorization server of
 * ours: the bearer token is checked by `introspect` (the account it was issued to, or
 * undefined), and the answer is `{name, healthUserId, legacyUserId}` with a `healthUserId`
 * that is not the account's OpenID `sub`, as Google documents no relation between the two.
 */
export interface HealthApiPeer {
  readonly url: string;
  /** The `healthUserId` this peer gives `account` (the OpenID `sub` it logged in as). */
  healthUserIdOf(account: string): string;
  /** The next `count` look-ups answer 503, whatever their token (a flaky start). */
  failNext(count: number): void;
  /** Every look-up so far, in order. */
  calls(): readonly IdentityCall[];
  close(): Promise<void>;
}

export async function startHealthApiPeer(options: {
  readonly introspect: (accessToken: string) => Promise<string | undefined>;
}): Promise<HealthApiPeer> {
  let failing = 0;
  const calls: IdentityCall[] = [];
  const healthUserIdOf = (account: string) =>
    `H${createHash('sha256').update(account).digest('hex').slice(0, 16)}`;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://peer');
    if (req.method !== 'GET' || url.pathname !== '/v4/users/me/identity') {
      send(res, 404, { error: { code: 404, status: 'NOT_FOUND' } });
      return;
    }
    if (failing > 0) {
      failing -= 1;
      calls.push({ account: undefined, status: 503 });
      send(res, 503, { error: { code: 503, status: 'UNAVAILABLE' } });
      return;
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    options.introspect(token).then(
      (account) => {
        if (account === undefined) {
          calls.push({ account, status: 401 });
          send(res, 401, { error: { code: 401, status: 'UNAUTHENTICATED' } });
          return;
        }
        calls.push({ account, status: 200 });
        send(res, 200, {
          name: 'users/me/identity',
          healthUserId: healthUserIdOf(account),
          legacyUserId: '',
        });
      },
      () => {
        calls.push({ account: undefined, status: 500 });
        send(res, 500, { error: { code: 500, status: 'INTERNAL' } });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    healthUserIdOf,
    failNext: (count) => {
      failing = count;
    },
    calls: () => [...calls],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

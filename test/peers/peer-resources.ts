import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';

/** Resource-server GETs by path: the JSON body for the account an access token belongs to. */
export type PeerResources = Readonly<Record<string, (accountId: string) => object>>;

/** The provider's own handler, with `resources` answered in front of it. */
export function withResources(
  provider: Provider,
  resources: PeerResources,
): (req: IncomingMessage, res: ServerResponse) => void {
  const callback = provider.callback();
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://peer').pathname;
    const resource = Object.hasOwn(resources, path) ? resources[path] : undefined;
    if (req.method !== 'GET' || resource === undefined) {
      callback(req, res);
      return;
    }
    answerResource(provider, req, res, resource).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
}

async function answerResource(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  body: (accountId: string) => object,
) {
  const json = { 'content-type': 'application/json' };
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const found = token === undefined ? undefined : await provider.AccessToken.find(token);
  if (found?.accountId === undefined) {
    res.writeHead(401, json).end(JSON.stringify({ detail: 'invalid or revoked token' }));
    return;
  }
  res.writeHead(200, json).end(JSON.stringify(body(found.accountId)));
}

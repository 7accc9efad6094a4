import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordSecret } from '../support/secret-ledger.js';

/**
 * A Works-with-Nest-shaped PIN authorization server: the user authorizes at
 * `/login/oauth2?client_id&state` without a redirect and is shown a PIN; the client trades it
 * at `POST /oauth2/access_token` with form client_id, client_secret, code, grant_type for a
 * long-lived access token (no expires_in, no refresh token). The client secret, every PIN and
 * every token go to the run's secret ledger.
 */
export interface PinPeer {
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly revocationUrl: string;
  /** The providers-file fields of a `nest-legacy` entry on this peer, with its client. */
  entry(): {
    clientId: string;
    clientSecret: string;
    authorizationUrl: string;
    tokenUrl: string;
    revocationUrl: string;
  };
  /** Plays the user approving: the PIN the provider shows for this authorization URL. */
  approve(authorizationUrl: string): string;
  /** Access tokens issued so far. */
  readonly issued: readonly string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

export async function startPinPeer(client: {
  clientId: string;
  clientSecret: string;
}): Promise<PinPeer> {
  const pins = new Set<string>();
  const issued: string[] = [];
  recordSecret('client_secret', client.clientSecret, 'pin-peer');
  const server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/oauth2/access_token') {
      json(404, { error: 'not_found' });
      return;
    }
    void readBody(req).then((raw) => {
      const form = new URLSearchParams(raw);
      if (
        form.get('client_id') !== client.clientId ||
        form.get('client_secret') !== client.clientSecret
      ) {
        json(401, { error: 'invalid_client' });
        return;
      }
      const pin = form.get('code') ?? '';
      if (form.get('grant_type') !== 'authorization_code' || !pins.delete(pin)) {
        json(400, { error: 'invalid_grant', error_description: 'PIN not found' });
        return;
      }
      const token = `c.${randomBytes(24).toString('hex')}`;
      recordSecret('access_token', token, 'pin-peer');
      issued.push(token);
      json(200, { access_token: token, expires_in: 315_360_000 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = {
    authorizationUrl: `${base}/login/oauth2`,
    tokenUrl: `${base}/oauth2/access_token`,
    revocationUrl: `${base}/oauth2/access_tokens`,
  };
  return {
    ...urls,
    entry: () => ({ clientId: client.clientId, clientSecret: client.clientSecret, ...urls }),
    approve: (authorizationUrl) => {
      const url = new URL(authorizationUrl);
      if (url.searchParams.get('client_id') !== client.clientId) throw new Error('unknown client');
      const pin = randomBytes(4).toString('hex').toUpperCase();
      recordSecret('pin', pin, 'pin-peer');
      pins.add(pin);
      return pin;
    },
    issued,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

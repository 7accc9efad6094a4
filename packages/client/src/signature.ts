import { createHmac, timingSafeEqual } from 'node:crypto';

// The receiver's side of tokenlane's event signatures, kept inside the SDK so that it needs no
// server package at run time. client.test.ts checks it against the server's signing code.

export interface VerifyEventSignatureOptions {
  /** Maximum age (and clock skew) accepted, in seconds; default 300. */
  readonly toleranceSeconds?: number;
  /** The receiver's clock in unix seconds; default now. */
  readonly now?: number;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Verifies a `Tokenlane-Signature` header (`t=<unix>,v1=<hex HMAC-SHA256(secret,
 * "<t>.<body>")>`) against the raw body: a `v1` signature must match (several are allowed, for
 * secret rollover) and `t` must be within the tolerance.
 */
export function verifyEventSignature(
  secret: string | Buffer,
  body: string | Buffer,
  header: string,
  options: VerifyEventSignatureOptions = {},
): boolean {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const parsed = parseHeader(header);
  if (parsed === undefined || Math.abs(now - parsed.timestamp) > tolerance) return false;
  const payload = Buffer.concat([Buffer.from(`${parsed.timestamp}.`), Buffer.from(body)]);
  const expected = Buffer.from(createHmac('sha256', secret).update(payload).digest('hex'));
  // Check every candidate so the time taken does not depend on which one matched.
  return parsed.signatures.reduce((ok, signature) => {
    const given = Buffer.from(signature.toLowerCase());
    return (given.length === expected.length && timingSafeEqual(given, expected)) || ok;
  }, false);
}

/**
 * The HMAC key of a Standard Webhooks signature: a `whsec_<base64>` secret's decoded bytes, as
 * the spec defines; any other secret's UTF-8 bytes (tokenlane signs with the same rule).
 * @see https://www.standardwebhooks.com/ ("Signature scheme")
 */
export function standardWebhookKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
  return encoded.length > 0 && BASE64.test(encoded)
    ? Buffer.from(encoded, 'base64')
    : Buffer.from(secret, 'utf8');
}

function parseHeader(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,15}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      signatures.push(value);
    }
    // Other schemes (a future v2) are ignored so senders can add them without breaking us.
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

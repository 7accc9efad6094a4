import { hmacSha256 } from './hmac.js';

/** The prefix Standard Webhooks gives a base64 signing secret. */
export const STANDARD_WEBHOOK_SECRET_PREFIX = 'whsec_';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The HMAC key of a Standard Webhooks signature. A `whsec_<base64>` secret is keyed by the
 * decoded bytes, as the spec defines (so receivers pass the secret to the `standardwebhooks`
 * library as it is). Any other secret, including a `whsec_` one whose rest is not base64, is
 * keyed by its UTF-8 bytes: its receivers use the library's raw format.
 */
export function standardWebhookKey(secret: string): Buffer {
  if (secret.startsWith(STANDARD_WEBHOOK_SECRET_PREFIX)) {
    const encoded = secret.slice(STANDARD_WEBHOOK_SECRET_PREFIX.length);
    if (encoded.length > 0 && BASE64.test(encoded)) return Buffer.from(encoded, 'base64');
  }
  return Buffer.from(secret, 'utf8');
}

/** The three Standard Webhooks headers of one delivery. */
export interface StandardWebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * Signs a delivery the Standard Webhooks way: `webhook-signature` is `v1,<base64
 * HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`. The id is stable across retries, so a
 * receiver can drop a delivery it has already handled.
 * @see https://www.standardwebhooks.com/ (Standard Webhooks specification, "Signature scheme")
 */
export function signStandardWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string | Buffer,
): StandardWebhookHeaders {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError('The signature timestamp must be a non-negative integer of unix seconds');
  }
  const payload = Buffer.concat([
    Buffer.from(`${id}.${timestampSeconds}.`, 'utf8'),
    Buffer.from(body),
  ]);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${hmacSha256(standardWebhookKey(secret), payload, 'base64')}`,
  };
}

import { Webhook } from 'standardwebhooks';
import {
  standardWebhookKey,
  verifyEventSignature,
  type VerifyEventSignatureOptions,
} from './signature.js';

/** Request headers as Node (`IncomingHttpHeaders`), Fastify or Express hand them over. */
export type WebhookRequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Verifies an outgoing event against the raw request body (the bytes as received, before any
 * JSON parsing); stale timestamps (over 5 minutes) fail.
 *
 * - Given the request's headers: the Standard Webhooks headers (`webhook-id`,
 *   `webhook-timestamp`, `webhook-signature`), checked by the `standardwebhooks` library with
 *   the key tokenlane signs with (a `whsec_<base64>` secret decoded, any other secret as bytes).
 *   Headers without them fall back to `Tokenlane-Signature`.
 * - Given one string: the `Tokenlane-Signature` header alone.
 */
export function verifyWebhook(
  body: string | Buffer,
  headers: WebhookRequestHeaders | string | undefined,
  secret: string,
  options: VerifyEventSignatureOptions = {},
): boolean {
  if (headers === undefined || headers === '') return false;
  if (typeof headers === 'string') return verifyEventSignature(secret, body, headers, options);
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (id === undefined || timestamp === undefined || signature === undefined) {
    const legacy = header(headers, 'tokenlane-signature');
    return legacy !== undefined && verifyEventSignature(secret, body, legacy, options);
  }
  try {
    new Webhook(standardWebhookKey(secret), { format: 'raw' }).verify(body, {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': signature,
    });
    return true;
  } catch {
    return false;
  }
}

/** A header by lower-case name, whatever case the framework kept; the first of repeats. */
function header(headers: WebhookRequestHeaders, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

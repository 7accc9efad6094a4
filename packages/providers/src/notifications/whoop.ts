import { verifyHmacSha256 } from '@tokenlane/vault';
import { z } from 'zod';
import type { Provider } from '../definition.js';
import {
  assertFresh,
  ignoredAt,
  parseBody,
  prefixed,
  requireHeader,
  type NotificationInput,
  type NotificationVerifier,
} from './common.js';
import { NotificationError } from './errors.js';

export const WHOOP_SIGNATURE_HEADER = 'x-whoop-signature';
export const WHOOP_TIMESTAMP_HEADER = 'x-whoop-signature-timestamp';

const event = z.looseObject({ type: z.string().min(1) });

/**
 * A WHOOP webhook: `X-WHOOP-Signature` = base64(HMAC-SHA256(secret, timestamp + body)) with
 * `X-WHOOP-Signature-Timestamp` (ms), refused outside five minutes. WHOOP signs with the
 * app's client secret, always: a `webhookSecret` configured for anything else never replaces
 * it. WHOOP sends data events only (no revocation
 * notice is documented), so a verified event is acknowledged and ignored; its signed timestamp
 * is its issue time.
 * @see https://developer.whoop.com/docs/developing/webhooks/
 */
function verifyWhoop(provider: Provider, input: NotificationInput) {
  const signature = requireHeader(input, WHOOP_SIGNATURE_HEADER);
  const timestamp = requireHeader(input, WHOOP_TIMESTAMP_HEADER);
  const secret = provider.clientSecret.reveal();
  if (!verifyHmacSha256(secret, prefixed(timestamp, input.rawBody), signature, 'base64')) {
    throw new NotificationError('invalid_signature', `${WHOOP_SIGNATURE_HEADER} does not match`);
  }
  const issuedAt = assertFresh(input, timestamp, WHOOP_TIMESTAMP_HEADER);
  parseBody(input, event);
  return ignoredAt(issuedAt);
}

export const whoopNotifications: NotificationVerifier = {
  ready: () => true,
  verify: verifyWhoop,
  ackStatus: 200,
};

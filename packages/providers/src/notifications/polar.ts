import { verifyHmacSha256 } from '@tokenlane/vault';
import { z } from 'zod';
import type { Provider } from '../definition.js';
import {
  IGNORED,
  ignoredAt,
  parseBody,
  requireHeader,
  timeOf,
  type NotificationInput,
  type NotificationVerifier,
} from './common.js';
import { NotificationError } from './errors.js';

export const POLAR_SIGNATURE_HEADER = 'polar-webhook-signature';

const event = z.looseObject({ event: z.string().min(1), timestamp: z.unknown().optional() });

/**
 * A Polar AccessLink webhook: `Polar-Webhook-Signature` = hex HMAC-SHA256(signature_secret_key,
 * body), the key being our `webhookSecret`. The `PING` sent while the webhook is created comes
 * before anyone can know that key: it is acknowledged unverified, as it changes nothing. Polar
 * documents no revocation event (deregistration is partner-side), so every event is ignored;
 * a signed event's `timestamp` (ISO 8601) is its issue time.
 * @see https://www.polar.com/accesslink-api/#webhooks
 */
function verifyPolar(provider: Provider, input: NotificationInput) {
  const notice = parseBody(input, event);
  if (notice.event === 'PING') return IGNORED;
  const signature = requireHeader(input, POLAR_SIGNATURE_HEADER);
  const secret = provider.webhookSecret;
  if (secret === undefined || !verifyHmacSha256(secret.reveal(), input.rawBody, signature, 'hex')) {
    throw new NotificationError('invalid_signature', `${POLAR_SIGNATURE_HEADER} does not match`);
  }
  return ignoredAt(typeof notice.timestamp === 'string' ? timeOf(notice.timestamp) : undefined);
}

export const polarNotifications: NotificationVerifier = {
  ready: () => true,
  verify: verifyPolar,
  ackStatus: 200,
};

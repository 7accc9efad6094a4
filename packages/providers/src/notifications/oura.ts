import { verifyHmacSha256 } from '@tokenlane/vault';
import { z } from 'zod';
import type { Provider } from '../definition.js';
import {
  assertFresh,
  ignoredAt,
  matchesSecret,
  parseBody,
  parseTimestamp,
  prefixed,
  requireHeader,
  type ChallengeInput,
  type NotificationInput,
  type NotificationVerifier,
} from './common.js';
import { NotificationError } from './errors.js';

export const OURA_SIGNATURE_HEADER = 'x-oura-signature';
export const OURA_TIMESTAMP_HEADER = 'x-oura-timestamp';

const event = z.looseObject({ event_type: z.string().min(1), data_type: z.string().min(1) });

/**
 * An Oura webhook: `x-oura-signature` = hex HMAC-SHA256(client secret, `x-oura-timestamp` +
 * body) (Oura sends it upper-case). Oura documents no revocation event: a verified event is
 * acknowledged and ignored.
 * @see https://cloud.ouraring.com/v2/docs#tag/Webhook-Subscription-Routes
 */
function verifyOura(provider: Provider, input: NotificationInput) {
  const signature = requireHeader(input, OURA_SIGNATURE_HEADER);
  const timestamp = requireHeader(input, OURA_TIMESTAMP_HEADER);
  const secret = provider.clientSecret.reveal();
  if (!verifyHmacSha256(secret, prefixed(timestamp, input.rawBody), signature, 'hex')) {
    throw new NotificationError('invalid_signature', `${OURA_SIGNATURE_HEADER} does not match`);
  }
  // The timestamp's format is not documented: bound it (and use it) when it reads as a time.
  const issuedAt =
    parseTimestamp(timestamp) === undefined
      ? undefined
      : assertFresh(input, timestamp, OURA_TIMESTAMP_HEADER);
  parseBody(input, event);
  return ignoredAt(issuedAt);
}

/**
 * The subscription handshake: `?verification_token=<webhookSecret>&challenge=…` is answered
 * with `{"challenge": …}`.
 */
function ouraChallenge(provider: Provider, input: ChallengeInput) {
  const { verification_token: token, challenge } = input.query;
  if (challenge === undefined || !matchesSecret(token, provider.webhookSecret)) return undefined;
  return { status: 200, body: { challenge } } as const;
}

export const ouraNotifications: NotificationVerifier = {
  ready: () => true,
  verify: verifyOura,
  challenge: ouraChallenge,
  ackStatus: 200,
};

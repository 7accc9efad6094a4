import { createHmac } from 'node:crypto';
import { timingSafeEqualString } from '@tokenlane/vault';
import { z } from 'zod';
import type { Provider } from '../definition.js';
import {
  matchesSecret,
  parseBody,
  requireHeader,
  revokedUsers,
  type ChallengeInput,
  type NotificationInput,
  type NotificationVerifier,
} from './common.js';
import { NotificationError } from './errors.js';

export const FITBIT_SIGNATURE_HEADER = 'x-fitbit-signature';

/** Collection types that mean the user is gone for us. */
const REVOKING = new Set(['userRevokedAccess', 'deleteUser']);

const notifications = z.array(
  z.looseObject({ collectionType: z.string(), ownerId: z.string().min(1).max(256) }),
);

/** base64(HMAC-SHA1(`clientSecret&`, body)): Fitbit signs with the OAuth 1.0 key form. */
export function fitbitSignature(clientSecret: string, rawBody: Buffer): string {
  return createHmac('sha1', `${clientSecret}&`).update(rawBody).digest('base64');
}

/**
 * A Fitbit subscription notification: an array of `{collectionType, ownerId, …}`;
 * `userRevokedAccess` (and `deleteUser`) name users who are gone. Fitbit sends no issue time:
 * `date` is a calendar day in the user's time zone (the data's day), not when it was sent.
 * @see https://dev.fitbit.com/build/reference/web-api/developer-guide/using-subscriptions/
 */
function verifyFitbit(provider: Provider, input: NotificationInput) {
  const signature = requireHeader(input, FITBIT_SIGNATURE_HEADER);
  const expected = fitbitSignature(provider.clientSecret.reveal(), input.rawBody);
  if (!timingSafeEqualString(signature, expected)) {
    throw new NotificationError('invalid_signature', `${FITBIT_SIGNATURE_HEADER} does not match`);
  }
  const owners = parseBody(input, notifications)
    .filter((notification) => REVOKING.has(notification.collectionType))
    .map((notification) => notification.ownerId);
  return revokedUsers(owners);
}

/**
 * The subscriber verification: Fitbit calls `?verify=<code>` with the right code (expects
 * 204) and with a wrong one (expects 404). The code is the provider's `webhookSecret`.
 */
function fitbitChallenge(provider: Provider, input: ChallengeInput) {
  return matchesSecret(input.query.verify, provider.webhookSecret)
    ? ({ status: 204 } as const)
    : undefined;
}

export const fitbitNotifications: NotificationVerifier = {
  ready: () => true,
  verify: verifyFitbit,
  challenge: fitbitChallenge,
  ackStatus: 204,
};

import { verifyHmacSha256 } from '@tokenlane/vault';
import { z } from 'zod';
import type { Provider } from '../definition.js';
import {
  assertFresh,
  header,
  ignoredAt,
  parseBody,
  requireHeader,
  revokedUsers,
  type NotificationInput,
  type NotificationVerifier,
} from './common.js';
import { NotificationError } from './errors.js';

export const TOKENLANE_SIGNATURE_HEADER = 'x-tokenlane-signature';
export const TOKENLANE_TIMESTAMP_HEADER = 'x-tokenlane-timestamp';

const body = z.looseObject({
  type: z.string().min(1).max(64),
  providerUserId: z.string().min(1).max(256).optional(),
});

/**
 * The payload a signature covers: the raw body, or `<timestamp>.<raw body>` when the sender
 * adds `X-Tokenlane-Timestamp` (an unsigned timestamp would bound nothing).
 */
export function tokenlaneSignedPayload(rawBody: Buffer, timestamp?: string): Buffer {
  return timestamp === undefined
    ? rawBody
    : Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), rawBody]);
}

/**
 * The generic notice of custom providers (docs/api.md): `X-Tokenlane-Signature:
 * sha256=<hex HMAC-SHA256(webhookSecret, payload)>`, body
 * `{"type":"auth_revoked","providerUserId":"…"}`; other types are acknowledged and ignored.
 * The signed `X-Tokenlane-Timestamp` (unix seconds), when sent, is the notice's issue time.
 */
function verifyTokenlane(provider: Provider, input: NotificationInput) {
  const secret = provider.webhookSecret;
  const signature = requireHeader(input, TOKENLANE_SIGNATURE_HEADER);
  const timestamp = header(input, TOKENLANE_TIMESTAMP_HEADER);
  const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(signature)?.[1];
  const payload = tokenlaneSignedPayload(input.rawBody, timestamp);
  if (
    secret === undefined ||
    hex === undefined ||
    !verifyHmacSha256(secret.reveal(), payload, hex, 'hex')
  ) {
    throw new NotificationError(
      'invalid_signature',
      `${TOKENLANE_SIGNATURE_HEADER} does not match`,
    );
  }
  const issuedAt =
    timestamp === undefined ? undefined : assertFresh(input, timestamp, TOKENLANE_TIMESTAMP_HEADER);
  const notice = parseBody(input, body);
  if (notice.type !== 'auth_revoked') return ignoredAt(issuedAt);
  if (notice.providerUserId === undefined) {
    throw new NotificationError('invalid_payload', 'auth_revoked needs providerUserId');
  }
  return revokedUsers([notice.providerUserId], issuedAt);
}

export const tokenlaneNotifications: NotificationVerifier = {
  ready: (provider) => provider.webhookSecret !== undefined,
  verify: verifyTokenlane,
  ackStatus: 200,
};

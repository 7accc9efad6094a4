/** Why a provider notification was refused: a forged or stale one, or one we cannot read. */
export const NOTIFICATION_ERROR_CODES = ['invalid_signature', 'invalid_payload'] as const;
export type NotificationErrorCode = (typeof NOTIFICATION_ERROR_CODES)[number];

/**
 * A refused notification. The message names what failed (a header, a field), never a value:
 * bodies and headers may carry tokens (Garmin's `userAccessToken`) or signatures.
 */
export class NotificationError extends Error {
  override readonly name = 'NotificationError';
  constructor(
    readonly code: NotificationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

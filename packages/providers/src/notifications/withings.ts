import { z } from 'zod';
import type { Provider } from '../definition.js';
import {
  assertPathSecret,
  IGNORED,
  matchesSecret,
  revokedUsers,
  type ChallengeInput,
  type NotificationInput,
  type NotificationVerifier,
} from './common.js';
import { NotificationError } from './errors.js';

const form = z.looseObject({
  userid: z.string().regex(/^\d{1,20}$/),
  appli: z.string().optional(),
  action: z.string().optional(),
});

/**
 * A Withings notification: a form POST (`userid`, `appli`, and for profile changes `action`
 * = `delete` | `unlink` | `update`). `unlink` (the user unlinked the app) and `delete` (the
 * account is gone) end the grant. Withings signs nothing and publishes source IP ranges, so the
 * intake URL's path holds `webhookSecret` (never the query: query strings end up in logs), and the notice is matched to
 * connections by `userid` alone. Data notifications are acknowledged and ignored.
 * @see https://developer.withings.com/developer-guide/v3/integration-guide/bulkship-sdk/data-api/notifications/notification-content
 */
function verifyWithings(provider: Provider, input: NotificationInput) {
  assertPathSecret(provider, input);
  const parsed = form.safeParse(
    Object.fromEntries(new URLSearchParams(input.rawBody.toString('utf8'))),
  );
  if (!parsed.success) {
    throw new NotificationError(
      'invalid_payload',
      'the body does not have the expected form fields',
    );
  }
  const { userid, action } = parsed.data;
  if (action === 'unlink' || action === 'delete') return revokedUsers([userid]);
  return IGNORED;
}

/**
 * Withings checks a callback URL with a HEAD request before it subscribes it (a GET is
 * answered the same way): 200 when the URL carries the right secret.
 * @see https://developer.withings.com/developer-guide/v3/integration-guide/bulkship-sdk/data-api/notifications/notification-subscribe
 */
function withingsCheck(provider: Provider, input: ChallengeInput) {
  // The path segment only: a `?token=` would sit in every proxy's access log.
  if (!matchesSecret(input.pathSecret, provider.webhookSecret)) {
    return undefined;
  }
  return { status: 200, body: {} } as const;
}

export const withingsNotifications: NotificationVerifier = {
  ready: (provider) => provider.webhookSecret !== undefined,
  verify: verifyWithings,
  challenge: withingsCheck,
  ackStatus: 200,
};

import { z } from 'zod';
import type { Provider } from '../definition.js';
import {
  assertPathSecret,
  epochSeconds,
  parseBody,
  revoked,
  type NotificationInput,
  type NotificationVerifier,
} from './common.js';

const userId = z.union([z.string().min(1).max(256), z.number().transform(String)]);

// Garmin also sends `userAccessToken` in these entries: never log or keep the body.
const push = z.looseObject({
  deregistrations: z.array(z.looseObject({ userId })).optional(),
  userPermissionsChange: z
    .array(
      z.looseObject({
        userId,
        permissions: z.array(z.string()),
        changeTimeInSeconds: z.unknown().optional(),
      }),
    )
    .optional(),
});

/**
 * Garmin's deregistration and permission-change pushes. They carry no signature (only a
 * `garmin-client-id` header anyone can send), so the intake URL holds the secret: the path
 * segment of `/webhooks/garmin/:secret`, or `?token=`, equal to `webhookSecret`. A permission
 * change leaving no permission is a revocation; any other change is ignored. A permission
 * change carries `changeTimeInSeconds` (its issue time, per entry); a deregistration carries
 * no time (`userId` and `userAccessToken` only).
 * @see https://developerportal.garmin.com/developer-programs/content/829/programs-docs
 */
function verifyGarmin(provider: Provider, input: NotificationInput) {
  assertPathSecret(provider, input);
  const notice = parseBody(input, push);
  return revoked([
    ...(notice.deregistrations ?? []).map((entry) => ({ providerUserId: entry.userId })),
    ...(notice.userPermissionsChange ?? [])
      .filter((entry) => entry.permissions.length === 0)
      .map((entry) => {
        const issuedAt = epochSeconds(entry.changeTimeInSeconds);
        return issuedAt === undefined
          ? { providerUserId: entry.userId }
          : { providerUserId: entry.userId, issuedAt };
      }),
  ]);
}

export const garminNotifications: NotificationVerifier = {
  ready: (provider) => provider.webhookSecret !== undefined,
  verify: verifyGarmin,
  ackStatus: 200,
};

import { z } from 'zod';
import type { Provider } from '../definition.js';
import {
  assertPathSecret,
  epochSeconds,
  ignoredAt,
  matchesSecret,
  parseBody,
  revokedUsers,
  type ChallengeInput,
  type NotificationInput,
  type NotificationVerifier,
} from './common.js';

const event = z.looseObject({
  object_type: z.string(),
  aspect_type: z.string(),
  owner_id: z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]),
  updates: z.record(z.string(), z.unknown()).optional(),
  event_time: z.unknown().optional(),
});

/**
 * A Strava webhook event; any athlete event with `updates.authorized = "false"` is a
 * deauthorization (Strava documents it as an `update`; the aspect is not required, so a
 * variant aspect still revokes). Strava signs nothing, so, as for Garmin, the intake URL's path
 * carries `webhookSecret`. `event_time` (unix seconds, "the time that the
 * event occurred") is the notice's issue time.
 * @see https://developers.strava.com/docs/webhooks/
 */
function verifyStrava(provider: Provider, input: NotificationInput) {
  assertPathSecret(provider, input);
  const notice = parseBody(input, event);
  const issuedAt = epochSeconds(notice.event_time);
  const authorized = notice.updates?.authorized;
  if (notice.object_type === 'athlete' && (authorized === 'false' || authorized === false)) {
    return revokedUsers([String(notice.owner_id)], issuedAt);
  }
  return ignoredAt(issuedAt);
}

/**
 * The subscription validation: `hub.mode=subscribe&hub.verify_token=<verifyToken>&
 * hub.challenge=…` is answered `{"hub.challenge": …}`. The token is its own setting, never the
 * `webhookSecret`: it travels in a query string, and the secret alone authenticates the POSTs.
 * Without a `verifyToken` no check is answered.
 */
function stravaChallenge(provider: Provider, input: ChallengeInput) {
  const query = input.query;
  const challenge = query['hub.challenge'];
  if (query['hub.mode'] !== 'subscribe' || challenge === undefined) return undefined;
  if (!matchesSecret(query['hub.verify_token'], provider.verifyToken)) return undefined;
  return { status: 200, body: { 'hub.challenge': challenge } } as const;
}

export const stravaNotifications: NotificationVerifier = {
  ready: (provider) => provider.webhookSecret !== undefined,
  verify: verifyStrava,
  challenge: stravaChallenge,
  ackStatus: 200,
};

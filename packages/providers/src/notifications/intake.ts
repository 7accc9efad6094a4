import type { NotificationFormat, Provider } from '../definition.js';
import type {
  ChallengeAnswer,
  ChallengeInput,
  NotificationInput,
  NotificationOutcome,
  NotificationVerifier,
} from './common.js';
import { NotificationError } from './errors.js';
import { fitbitNotifications } from './fitbit.js';
import { garminNotifications } from './garmin.js';
import { ouraNotifications } from './oura.js';
import { polarNotifications } from './polar.js';
import { stravaNotifications } from './strava.js';
import { tokenlaneNotifications } from './tokenlane.js';
import { whoopNotifications } from './whoop.js';
import { withingsNotifications } from './withings.js';

/** One verifier per format: a format without one does not compile. */
const VERIFIERS: Readonly<Record<NotificationFormat, NotificationVerifier>> = {
  tokenlane: tokenlaneNotifications,
  fitbit: fitbitNotifications,
  whoop: whoopNotifications,
  oura: ouraNotifications,
  polar: polarNotifications,
  garmin: garminNotifications,
  strava: stravaNotifications,
  withings: withingsNotifications,
};

/**
 * The notification format a provider's intake speaks: its definition's, else the generic
 * one for custom providers. Undefined when the provider sends none, or its configuration
 * lacks the secret needed to verify them (the intake answers 404).
 */
export function notificationFormatOf(provider: Provider): NotificationFormat | undefined {
  const format = provider.notifications?.format ?? (provider.custom ? 'tokenlane' : undefined);
  if (format === undefined || !VERIFIERS[format].ready(provider)) return undefined;
  return format;
}

function verifierOf(provider: Provider): NotificationVerifier {
  const format = notificationFormatOf(provider);
  if (format === undefined) {
    throw new NotificationError('invalid_signature', `${provider.id} has no notification intake`);
  }
  return VERIFIERS[format];
}

/**
 * Verifies one provider notification over its raw bytes and reads it: the provider users who
 * revoked access, or `ignored`. Throws NotificationError (`invalid_signature`, `invalid_payload`).
 */
export function verifyNotification(
  provider: Provider,
  input: NotificationInput,
): NotificationOutcome {
  return verifierOf(provider).verify(provider, input);
}

/** Answers a subscription handshake (`GET`); undefined means refuse it (404). */
export function answerNotificationChallenge(
  provider: Provider,
  input: ChallengeInput,
): ChallengeAnswer | undefined {
  const format = notificationFormatOf(provider);
  return format === undefined ? undefined : VERIFIERS[format].challenge?.(provider, input);
}

/** The status the provider expects for an accepted notification (Fitbit: 204). */
export function notificationAckStatus(provider: Provider): 200 | 204 {
  return verifierOf(provider).ackStatus;
}

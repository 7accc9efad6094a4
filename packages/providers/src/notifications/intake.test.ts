import { describe, expect, it } from 'vitest';
import { loadProviders } from '../registry/load.js';
import {
  answerNotificationChallenge,
  notificationAckStatus,
  notificationFormatOf,
  verifyNotification,
} from './intake.js';
import { CLIENT_SECRET, expectRefused, notification, providerOf } from './test-support/fixtures.js';

describe('notification intake per provider', () => {
  it('knows the format of each provider that sends notices', () => {
    const formats = Object.fromEntries(
      ['fitbit', 'whoop', 'oura', 'polar', 'strava', 'garmin', 'garmin-oauth2', 'acme'].map(
        (id) => [id, notificationFormatOf(providerOf(id))],
      ),
    );
    expect(formats).toEqual({
      fitbit: 'fitbit',
      whoop: 'whoop',
      oura: 'oura',
      polar: 'polar',
      strava: 'strava',
      garmin: 'garmin',
      'garmin-oauth2': 'garmin',
      acme: 'tokenlane',
    });
  });

  it('has no intake for providers without notices or without the secret to verify them', () => {
    expect(notificationFormatOf(providerOf('dexcom'))).toBeUndefined();
    expect(notificationFormatOf(providerOf('plain'))).toBeUndefined();
    const bare = loadProviders({
      publicUrl: 'https://tokenlane.test',
      file: { garmin: { clientId: 'c', clientSecret: CLIENT_SECRET } },
    }).require('garmin');
    expect(notificationFormatOf(bare)).toBeUndefined();
    expectRefused(
      () => verifyNotification(providerOf('plain'), notification('{}')),
      'invalid_signature',
    );
    expect(answerNotificationChallenge(providerOf('plain'), { query: {} })).toBeUndefined();
  });

  it('acknowledges Fitbit with 204 and everyone else with 200', () => {
    expect(notificationAckStatus(providerOf('fitbit'))).toBe(204);
    expect(notificationAckStatus(providerOf('garmin'))).toBe(200);
    expect(notificationAckStatus(providerOf('acme'))).toBe(200);
  });
});

import { describe, expect, it } from 'vitest';
import { answerNotificationChallenge, verifyNotification } from './intake.js';
import { loadProviders } from '../registry/load.js';
import {
  VERIFY_TOKEN,
  WEBHOOK_SECRET,
  expectRefused,
  notification,
  providerOf,
} from './test-support/fixtures.js';

const strava = providerOf('strava');
const deauthorized = {
  aspect_type: 'update',
  event_time: 1516126040,
  object_id: 134815,
  object_type: 'athlete',
  owner_id: 134815,
  subscription_id: 120475,
  updates: { authorized: 'false' },
};
const withSecret = (body: string | object) =>
  notification(body, {}, { pathSecret: WEBHOOK_SECRET });

describe('Strava webhooks', () => {
  it('reads an athlete deauthorization', () => {
    expect(verifyNotification(strava, withSecret(deauthorized))).toEqual({
      kind: 'revoked',
      revocations: [{ providerUserId: '134815', issuedAt: new Date(1516126040 * 1000) }],
    });
  });

  it('takes event_time (unix seconds) as the issue time, and goes without an unreadable one', () => {
    const at = (eventTime: unknown) => {
      const outcome = verifyNotification(
        strava,
        withSecret({ ...deauthorized, event_time: eventTime }),
      );
      return outcome.kind === 'revoked' ? outcome.revocations[0]?.issuedAt : 'ignored';
    };
    expect(at(1772366400)).toEqual(new Date('2026-03-01T12:00:00Z'));
    expect(at('1772366400')).toEqual(new Date('2026-03-01T12:00:00Z'));
    for (const unreadable of [undefined, null, 'yesterday', -5, 1.5, 0]) {
      expect(at(unreadable)).toBeUndefined();
    }
    const activity = { ...deauthorized, object_type: 'activity', updates: { title: 'Run' } };
    expect(verifyNotification(strava, withSecret(activity))).toEqual({
      kind: 'ignored',
      issuedAt: new Date(1516126040 * 1000),
    });
  });

  it('ignores activity events and other athlete updates', () => {
    const activity = { ...deauthorized, object_type: 'activity', updates: { title: 'Run' } };
    expect(verifyNotification(strava, withSecret(activity))).toMatchObject({ kind: 'ignored' });
    const renamed = { ...deauthorized, updates: { authorized: 'true' } };
    expect(verifyNotification(strava, withSecret(renamed))).toMatchObject({ kind: 'ignored' });
  });

  it('refuses an event without the intake secret (Strava signs nothing)', () => {
    expectRefused(
      () => verifyNotification(strava, notification(deauthorized)),
      'invalid_signature',
    );
    const wrong = notification(deauthorized, {}, { query: { token: 'guess' } });
    expectRefused(() => verifyNotification(strava, wrong), 'invalid_signature');
  });

  it('refuses a malformed event', () => {
    const noOwner: Partial<typeof deauthorized> = { ...deauthorized };
    delete noOwner.owner_id;
    expectRefused(() => verifyNotification(strava, withSecret(noOwner)), 'invalid_payload');
  });

  const challengeQuery = {
    'hub.mode': 'subscribe',
    'hub.verify_token': VERIFY_TOKEN,
    'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3',
  };

  it('echoes hub.challenge for the right verify token only', () => {
    const query = challengeQuery;
    expect(answerNotificationChallenge(strava, { query })).toEqual({
      status: 200,
      body: { 'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3' },
    });
    const wrong = { ...query, 'hub.verify_token': 'nope' };
    expect(answerNotificationChallenge(strava, { query: wrong })).toBeUndefined();
    const mode = { ...query, 'hub.mode': 'unsubscribe' };
    expect(answerNotificationChallenge(strava, { query: mode })).toBeUndefined();
  });

  it('never takes the webhookSecret as the verify token, and answers no check without one', () => {
    const secret = { ...challengeQuery, 'hub.verify_token': WEBHOOK_SECRET };
    expect(answerNotificationChallenge(strava, { query: secret })).toBeUndefined();
    const withoutToken = loadProviders({
      publicUrl: 'https://tokenlane.test',
      file: { strava: { clientId: 'id', clientSecret: 'cs', webhookSecret: WEBHOOK_SECRET } },
    }).require('strava');
    expect(answerNotificationChallenge(withoutToken, { query: secret })).toBeUndefined();
    // The deauthorization POSTs still verify by the webhookSecret alone.
    expect(verifyNotification(withoutToken, withSecret(deauthorized))).toMatchObject({
      kind: 'revoked',
    });
  });

  it('treats any athlete event with authorized=false as a deauthorization', () => {
    const created = { ...deauthorized, aspect_type: 'create' };
    expect(verifyNotification(strava, withSecret(created))).toMatchObject({
      kind: 'revoked',
      revocations: [{ providerUserId: String(deauthorized.owner_id) }],
    });
    const boolean = { ...deauthorized, updates: { authorized: false } };
    expect(verifyNotification(strava, withSecret(boolean))).toMatchObject({ kind: 'revoked' });
  });
});

import { describe, expect, it } from 'vitest';
import { loadProviders } from '../registry/load.js';
import { answerNotificationChallenge, verifyNotification } from './intake.js';
import {
  CLIENT_SECRET,
  WEBHOOK_SECRET,
  expectRefused,
  notification,
} from './test-support/fixtures.js';

const withings = loadProviders({
  publicUrl: 'https://tokenlane.test',
  file: {
    withings: { clientId: 'id', clientSecret: CLIENT_SECRET, webhookSecret: WEBHOOK_SECRET },
  },
}).require('withings');
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const atSecret = { pathSecret: WEBHOOK_SECRET };

describe('Withings notifications', () => {
  it('action=unlink (and delete) revokes the user named by userid', () => {
    // The documented profile-change payload: userid, appli, action.
    for (const action of ['unlink', 'delete']) {
      expect(
        verifyNotification(
          withings,
          notification(form({ userid: '12345', appli: '46', action }), {}, atSecret),
        ),
      ).toEqual({ kind: 'revoked', revocations: [{ providerUserId: '12345' }] });
    }
  });

  it('ignores data notifications and profile updates', () => {
    const data = form({
      userid: '12345',
      appli: '1',
      startdate: '1530576000',
      enddate: '1530698753',
    });
    expect(verifyNotification(withings, notification(data, {}, atSecret))).toEqual({
      kind: 'ignored',
    });
    const update = form({ userid: '12345', appli: '46', action: 'update' });
    expect(verifyNotification(withings, notification(update, {}, atSecret))).toEqual({
      kind: 'ignored',
    });
  });

  it('accepts notices only on the secret path (they are unsigned)', () => {
    const unlink = form({ userid: '12345', appli: '46', action: 'unlink' });
    expectRefused(() => verifyNotification(withings, notification(unlink)), 'invalid_signature');
    expectRefused(
      () => verifyNotification(withings, notification(unlink, {}, { pathSecret: 'guess' })),
      'invalid_signature',
    );
    expectRefused(
      () => verifyNotification(withings, notification(form({ appli: '46' }), {}, atSecret)),
      'invalid_payload',
    );
  });

  it('answers the HEAD (and GET) check with 200 on the secret path only', () => {
    expect(
      answerNotificationChallenge(withings, { query: {}, pathSecret: WEBHOOK_SECRET }),
    ).toEqual({
      status: 200,
      body: {},
    });
    expect(
      answerNotificationChallenge(withings, { query: {}, pathSecret: 'guess' }),
    ).toBeUndefined();
  });

  it('never takes the secret as ?token=, on the check or on a notice', () => {
    expect(
      answerNotificationChallenge(withings, { query: { token: WEBHOOK_SECRET } }),
    ).toBeUndefined();
    const unlink = notification(
      form({ userid: '1', appli: '46', action: 'unlink' }),
      {},
      {
        query: { token: WEBHOOK_SECRET },
      },
    );
    expectRefused(() => verifyNotification(withings, unlink), 'invalid_signature');
  });
});

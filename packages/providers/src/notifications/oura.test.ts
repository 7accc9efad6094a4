import { describe, expect, it } from 'vitest';
import { answerNotificationChallenge, verifyNotification } from './intake.js';
import {
  CLIENT_SECRET,
  NOW,
  WEBHOOK_SECRET,
  expectRefused,
  hmac,
  notification,
  providerOf,
} from './test-support/fixtures.js';

const oura = providerOf('oura');
const body = JSON.stringify({
  event_type: 'create',
  data_type: 'daily_sleep',
  object_id: 'o1',
  user_id: 'u1',
});
const seconds = (offsetMs: number) => String(Math.floor((NOW.getTime() + offsetMs) / 1000));
const signed = (timestamp: string, payload = body, key = CLIENT_SECRET) =>
  notification(payload, {
    'x-oura-signature': hmac('sha256', key, `${timestamp}${payload}`, 'hex').toUpperCase(),
    'x-oura-timestamp': timestamp,
  });

describe('Oura webhooks', () => {
  it('verifies upper-case hex HMAC-SHA256(client secret, timestamp + body)', () => {
    // The signed x-oura-timestamp (read as unix seconds here) is the issue time.
    expect(verifyNotification(oura, signed(seconds(-10_000)))).toEqual({
      kind: 'ignored',
      issuedAt: new Date(NOW.getTime() - 10_000),
    });
  });

  it('goes without an issue time when x-oura-timestamp does not read as a time', () => {
    expect(verifyNotification(oura, signed('v1-opaque'))).toEqual({ kind: 'ignored' });
  });

  it('refuses a wrong key or a missing header', () => {
    expectRefused(
      () => verifyNotification(oura, signed(seconds(0), body, WEBHOOK_SECRET)),
      'invalid_signature',
    );
    expectRefused(() => verifyNotification(oura, notification(body)), 'invalid_signature');
  });

  it('refuses a stale timestamp', () => {
    expectRefused(() => verifyNotification(oura, signed(seconds(-600_000))), 'invalid_signature');
  });

  it('refuses a malformed event under a good signature', () => {
    expectRefused(() => verifyNotification(oura, signed(seconds(0), '{}')), 'invalid_payload');
  });

  it('echoes the subscription challenge for the right verification token only', () => {
    const query = { verification_token: WEBHOOK_SECRET, challenge: 'c-123' };
    expect(answerNotificationChallenge(oura, { query })).toEqual({
      status: 200,
      body: { challenge: 'c-123' },
    });
    expect(
      answerNotificationChallenge(oura, { query: { ...query, verification_token: 'no' } }),
    ).toBeUndefined();
  });
});

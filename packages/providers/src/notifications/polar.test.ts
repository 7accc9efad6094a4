import { describe, expect, it } from 'vitest';
import { verifyNotification } from './intake.js';
import {
  WEBHOOK_SECRET,
  expectRefused,
  hmac,
  notification,
  providerOf,
} from './test-support/fixtures.js';

const polar = providerOf('polar');
const body = JSON.stringify({
  event: 'EXERCISE',
  user_id: 475,
  entity_id: 'aQlC83',
  timestamp: '2026-03-01T11:59:00Z',
  url: 'https://www.polaraccesslink.com/v3/exercises/aQlC83',
});
const signed = (payload: string, key = WEBHOOK_SECRET) =>
  notification(payload, { 'Polar-Webhook-Signature': hmac('sha256', key, payload, 'hex') });

describe('Polar AccessLink webhooks', () => {
  it('verifies hex HMAC-SHA256(webhookSecret, body) and ignores data events', () => {
    // The body's `timestamp` (ISO 8601) is the issue time.
    expect(verifyNotification(polar, signed(body))).toEqual({
      kind: 'ignored',
      issuedAt: new Date('2026-03-01T11:59:00Z'),
    });
    const noTime = JSON.stringify({ event: 'EXERCISE', user_id: 475, timestamp: 'later' });
    expect(verifyNotification(polar, signed(noTime))).toEqual({ kind: 'ignored' });
  });

  it('refuses a wrong key or a missing signature', () => {
    expectRefused(() => verifyNotification(polar, signed(body, 'other')), 'invalid_signature');
    expectRefused(() => verifyNotification(polar, notification(body)), 'invalid_signature');
  });

  it('acknowledges the creation PING, which comes before the key is known', () => {
    const ping = JSON.stringify({ timestamp: '2026-03-01T12:00:00Z', event: 'PING' });
    // Unverified, so its timestamp is not taken.
    expect(verifyNotification(polar, notification(ping))).toEqual({ kind: 'ignored' });
  });

  it('refuses a malformed event', () => {
    expectRefused(() => verifyNotification(polar, signed('{"user_id":1}')), 'invalid_payload');
    expectRefused(() => verifyNotification(polar, signed('not json')), 'invalid_payload');
  });
});

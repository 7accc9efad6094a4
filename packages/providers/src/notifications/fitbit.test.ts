import { describe, expect, it } from 'vitest';
import {
  answerNotificationChallenge,
  notificationAckStatus,
  verifyNotification,
} from './intake.js';
import {
  CLIENT_SECRET,
  WEBHOOK_SECRET,
  expectRefused,
  hmac,
  notification,
  providerOf,
} from './test-support/fixtures.js';

const fitbit = providerOf('fitbit');
const body = JSON.stringify([
  { collectionType: 'activities', date: '2026-03-01', ownerId: '228S74', ownerType: 'user' },
  { collectionType: 'userRevokedAccess', date: '2026-03-01', ownerId: '22BXYZ', ownerType: 'user' },
  { collectionType: 'deleteUser', date: '2026-03-01', ownerId: '22CDEF', ownerType: 'user' },
  { collectionType: 'userRevokedAccess', date: '2026-03-01', ownerId: '22BXYZ', ownerType: 'user' },
]);
const signature = (payload: string, key = `${CLIENT_SECRET}&`) =>
  hmac('sha1', key, payload, 'base64');

describe('Fitbit subscription notifications', () => {
  it('reads userRevokedAccess and deleteUser owners under X-Fitbit-Signature', () => {
    const input = notification(body, { 'X-Fitbit-Signature': signature(body) });
    expect(verifyNotification(fitbit, input)).toEqual({
      kind: 'revoked',
      revocations: [{ providerUserId: '22BXYZ' }, { providerUserId: '22CDEF' }],
    });
    expect(notificationAckStatus(fitbit)).toBe(204);
  });

  it("carries no issue time: `date` is the data's calendar day, not when Fitbit sent it", () => {
    const input = notification(body, { 'x-fitbit-signature': signature(body) });
    const outcome = verifyNotification(fitbit, input);
    expect(outcome.kind === 'revoked' && outcome.revocations.map((r) => r.issuedAt)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('ignores data notifications', () => {
    const data = JSON.stringify([{ collectionType: 'sleep', ownerId: '228S74' }]);
    const input = notification(data, { 'x-fitbit-signature': signature(data) });
    expect(verifyNotification(fitbit, input)).toEqual({ kind: 'ignored' });
  });

  it('refuses a signature without the trailing & in the key, a wrong one, or none', () => {
    const noAmpersand = notification(body, {
      'x-fitbit-signature': signature(body, CLIENT_SECRET),
    });
    expectRefused(() => verifyNotification(fitbit, noAmpersand), 'invalid_signature');
    const other = notification(body, { 'x-fitbit-signature': signature('[]') });
    expectRefused(() => verifyNotification(fitbit, other), 'invalid_signature');
    expectRefused(() => verifyNotification(fitbit, notification(body)), 'invalid_signature');
  });

  it('refuses a malformed notification under a good signature', () => {
    const bad = '{"collectionType":"userRevokedAccess"}';
    const input = notification(bad, { 'x-fitbit-signature': signature(bad) });
    expectRefused(() => verifyNotification(fitbit, input), 'invalid_payload');
  });

  it('answers the verification GET: 204 for the right code, refused otherwise', () => {
    expect(answerNotificationChallenge(fitbit, { query: { verify: WEBHOOK_SECRET } })).toEqual({
      status: 204,
    });
    expect(answerNotificationChallenge(fitbit, { query: { verify: 'wrong' } })).toBeUndefined();
    expect(answerNotificationChallenge(fitbit, { query: {} })).toBeUndefined();
  });
});

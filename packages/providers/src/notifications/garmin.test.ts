import { describe, expect, it } from 'vitest';
import { verifyNotification } from './intake.js';
import {
  WEBHOOK_SECRET,
  expectRefused,
  notification,
  providerOf,
} from './test-support/fixtures.js';

const deregistrations = {
  deregistrations: [
    { userId: 'g-1', userAccessToken: 'uat-secret-1' },
    { userId: 'g-2', userAccessToken: 'uat-secret-2' },
  ],
};

describe.each(['garmin', 'garmin-oauth2'])('Garmin pushes (%s)', (id) => {
  const garmin = providerOf(id);

  it('reads deregistrations when the path segment holds the secret', () => {
    const input = notification(deregistrations, {}, { pathSecret: WEBHOOK_SECRET });
    expect(verifyNotification(garmin, input)).toEqual({
      kind: 'revoked',
      // Deregistrations carry no time (userId and userAccessToken only).
      revocations: [{ providerUserId: 'g-1' }, { providerUserId: 'g-2' }],
    });
  });

  it('refuses the secret as ?token=: query strings end up in access logs', () => {
    const input = notification(deregistrations, {}, { query: { token: WEBHOOK_SECRET } });
    expectRefused(() => verifyNotification(garmin, input), 'invalid_signature');
  });

  it('refuses a push without the secret or with a wrong one', () => {
    const headers = { 'garmin-client-id': 'client-id' };
    expectRefused(
      () => verifyNotification(garmin, notification(deregistrations, headers)),
      'invalid_signature',
    );
    const wrong = notification(deregistrations, headers, { pathSecret: 'guess' });
    expectRefused(() => verifyNotification(garmin, wrong), 'invalid_signature');
  });

  it('treats a permission change leaving nothing as a revocation, other changes not', () => {
    const change = {
      userPermissionsChange: [
        { userId: 'g-3', permissions: [], changeTimeInSeconds: 1772366400 },
        { userId: 'g-4', permissions: ['ACTIVITY_EXPORT'], changeTimeInSeconds: 1772366400 },
      ],
    };
    expect(
      verifyNotification(garmin, notification(change, {}, { pathSecret: WEBHOOK_SECRET })),
    ).toEqual({
      kind: 'revoked',
      revocations: [{ providerUserId: 'g-3', issuedAt: new Date('2026-03-01T12:00:00Z') }],
    });
    const kept = { userPermissionsChange: [change.userPermissionsChange[1]] };
    expect(
      verifyNotification(garmin, notification(kept, {}, { pathSecret: WEBHOOK_SECRET })),
    ).toEqual({ kind: 'ignored' });
  });

  it("takes each permission change's changeTimeInSeconds as its issue time", () => {
    const change = {
      userPermissionsChange: [
        { userId: 'g-5', summaryId: 's5', permissions: [], changeTimeInSeconds: 1772366400 },
        { userId: 'g-6', summaryId: 's6', permissions: [], changeTimeInSeconds: 1772362800 },
        { userId: 'g-7', summaryId: 's7', permissions: [] },
        { userId: 'g-8', summaryId: 's8', permissions: [], changeTimeInSeconds: 'soon' },
        // The same user twice in one push keeps the later time.
        { userId: 'g-6', summaryId: 's9', permissions: [], changeTimeInSeconds: 1772364600 },
      ],
    };
    expect(
      verifyNotification(garmin, notification(change, {}, { pathSecret: WEBHOOK_SECRET })),
    ).toEqual({
      kind: 'revoked',
      revocations: [
        { providerUserId: 'g-5', issuedAt: new Date('2026-03-01T12:00:00Z') },
        { providerUserId: 'g-6', issuedAt: new Date('2026-03-01T11:30:00Z') },
        { providerUserId: 'g-7' },
        { providerUserId: 'g-8' },
      ],
    });
  });

  it('refuses a malformed push', () => {
    const input = (body: string | object) => notification(body, {}, { pathSecret: WEBHOOK_SECRET });
    expectRefused(() => verifyNotification(garmin, input('{')), 'invalid_payload');
    expectRefused(
      () => verifyNotification(garmin, input({ deregistrations: [{ user: 'x' }] })),
      'invalid_payload',
    );
  });
});

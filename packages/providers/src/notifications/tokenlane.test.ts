import { describe, expect, it } from 'vitest';
import { verifyNotification } from './intake.js';
import {
  NOW,
  WEBHOOK_SECRET,
  expectRefused,
  hmac,
  notification,
  providerOf,
} from './test-support/fixtures.js';

const acme = providerOf('acme');
const revokedBody = JSON.stringify({ type: 'auth_revoked', providerUserId: 'user-7' });
const sign = (payload: string, key = WEBHOOK_SECRET) =>
  `sha256=${hmac('sha256', key, payload, 'hex')}`;
const signed = (body: string, extra: Record<string, string> = {}) =>
  notification(body, { 'X-Tokenlane-Signature': sign(body), ...extra });

describe('generic notifications (X-Tokenlane-Signature)', () => {
  it('reads auth_revoked under a good signature', () => {
    // Unstamped: no issue time.
    expect(verifyNotification(acme, signed(revokedBody))).toEqual({
      kind: 'revoked',
      revocations: [{ providerUserId: 'user-7' }],
    });
  });

  it('treats an account id with a NUL as naming nobody (no stored id can hold one)', () => {
    const body = JSON.stringify({ type: 'auth_revoked', providerUserId: 'user\u00007' });
    expect(verifyNotification(acme, signed(body))).toEqual({ kind: 'ignored' });
  });

  it('accepts upper-case hex and ignores other notice types', () => {
    const body = revokedBody;
    const upper = `sha256=${hmac('sha256', WEBHOOK_SECRET, body, 'hex').toUpperCase()}`;
    expect(
      verifyNotification(acme, notification(body, { 'x-tokenlane-signature': upper })),
    ).toMatchObject({ kind: 'revoked' });
    expect(verifyNotification(acme, signed('{"type":"profile_updated"}'))).toEqual({
      kind: 'ignored',
    });
  });

  it('refuses a wrong key, a changed body, a bare hex and a missing header', () => {
    const wrongKey = notification(revokedBody, {
      'x-tokenlane-signature': sign(revokedBody, 'another-secret'),
    });
    expectRefused(() => verifyNotification(acme, wrongKey), 'invalid_signature');
    const changed = notification(revokedBody.replace('user-7', 'user-8'), {
      'x-tokenlane-signature': sign(revokedBody),
    });
    expectRefused(() => verifyNotification(acme, changed), 'invalid_signature');
    const bare = notification(revokedBody, {
      'x-tokenlane-signature': hmac('sha256', WEBHOOK_SECRET, revokedBody, 'hex'),
    });
    expectRefused(() => verifyNotification(acme, bare), 'invalid_signature');
    expectRefused(() => verifyNotification(acme, notification(revokedBody)), 'invalid_signature');
  });

  it('binds X-Tokenlane-Timestamp into the signature and refuses stale ones', () => {
    const t = String(Math.floor(NOW.getTime() / 1000) - 60);
    const fresh = notification(revokedBody, {
      'x-tokenlane-signature': sign(`${t}.${revokedBody}`),
      'x-tokenlane-timestamp': t,
    });
    // The signed timestamp (unix seconds) is the notice's issue time.
    expect(verifyNotification(acme, fresh)).toEqual({
      kind: 'revoked',
      revocations: [{ providerUserId: 'user-7', issuedAt: new Date(Number(t) * 1000) }],
    });
    const other = notification('{"type":"profile_updated"}', {
      'x-tokenlane-signature': sign(`${t}.{"type":"profile_updated"}`),
      'x-tokenlane-timestamp': t,
    });
    expect(verifyNotification(acme, other)).toEqual({
      kind: 'ignored',
      issuedAt: new Date(Number(t) * 1000),
    });
    // A timestamp the signature does not cover could be moved forward by anyone.
    expectRefused(
      () => verifyNotification(acme, signed(revokedBody, { 'x-tokenlane-timestamp': t })),
      'invalid_signature',
    );
    const old = String(Math.floor(NOW.getTime() / 1000) - 301);
    const stale = notification(revokedBody, {
      'x-tokenlane-signature': sign(`${old}.${revokedBody}`),
      'x-tokenlane-timestamp': old,
    });
    expectRefused(() => verifyNotification(acme, stale), 'invalid_signature');
  });

  it('refuses malformed bodies under a good signature as invalid_payload', () => {
    expectRefused(() => verifyNotification(acme, signed('{"type":')), 'invalid_payload');
    expectRefused(() => verifyNotification(acme, signed('[1,2]')), 'invalid_payload');
    expectRefused(
      () => verifyNotification(acme, signed('{"type":"auth_revoked"}')),
      'invalid_payload',
    );
    expectRefused(
      () => verifyNotification(acme, signed('{"type":"auth_revoked","providerUserId":7}')),
      'invalid_payload',
    );
  });
});

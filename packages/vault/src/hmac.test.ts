import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { hmacSha256, timingSafeEqualString, verifyHmacSha256 } from './hmac.js';

const secret = 'whsec_test_secret';
const body = '{"type":"auth_revoked","providerUserId":"u1"}';

describe('hmacSha256', () => {
  it('matches node:crypto in hex and base64, for strings and buffers', () => {
    const expected = createHmac('sha256', secret).update(body).digest();
    expect(hmacSha256(secret, body, 'hex')).toBe(expected.toString('hex'));
    expect(hmacSha256(Buffer.from(secret), Buffer.from(body), 'base64')).toBe(
      expected.toString('base64'),
    );
  });
});

describe('verifyHmacSha256', () => {
  it.each(['hex', 'base64'] as const)('accepts the right %s signature', (encoding) => {
    expect(verifyHmacSha256(secret, body, hmacSha256(secret, body, encoding), encoding)).toBe(true);
  });

  it('accepts upper-case hex', () => {
    const signature = hmacSha256(secret, body, 'hex').toUpperCase();
    expect(verifyHmacSha256(secret, body, signature, 'hex')).toBe(true);
  });

  it.each(['hex', 'base64'] as const)(
    'rejects wrong, short, long and empty %s signatures without throwing',
    (encoding) => {
      const right = hmacSha256(secret, body, encoding);
      const wrongSecret = hmacSha256('other', body, encoding);
      const wrongBody = hmacSha256(secret, `${body} `, encoding);
      for (const signature of [
        wrongSecret,
        wrongBody,
        right.slice(1),
        `${right}0`,
        '',
        'é'.repeat(32),
      ]) {
        expect(verifyHmacSha256(secret, body, signature, encoding)).toBe(false);
      }
    },
  );
});

describe('timingSafeEqualString', () => {
  it('compares strings of any lengths', () => {
    expect(timingSafeEqualString('api-key-1234567890', 'api-key-1234567890')).toBe(true);
    expect(timingSafeEqualString('api-key-1234567890', 'api-key-1234567891')).toBe(false);
    expect(timingSafeEqualString('short', 'a much longer string')).toBe(false);
    expect(timingSafeEqualString('', '')).toBe(true);
  });
});

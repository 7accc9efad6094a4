import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { signEventPayload, verifyEventSignature } from './event-signature.js';

const secret = 'whsec_backend_secret';
const body = '{"id":"e1","type":"connection.created","data":{}}';
const t = 1_700_000_000;

describe('signEventPayload', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 as docs/api.md documents', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signEventPayload(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('refuses a timestamp that is not whole unix seconds', () => {
    expect(() => signEventPayload(secret, body, 1.5)).toThrow(RangeError);
    expect(() => signEventPayload(secret, body, -1)).toThrow(RangeError);
  });
});

describe('verifyEventSignature', () => {
  const header = signEventPayload(secret, body, t);

  it('round-trips, with string or Buffer bodies', () => {
    expect(verifyEventSignature(secret, body, header, { now: t })).toBe(true);
    expect(verifyEventSignature(secret, Buffer.from(body), header, { now: t + 10 })).toBe(true);
  });

  it('accepts within the tolerance and rejects outside it, in both directions', () => {
    expect(verifyEventSignature(secret, body, header, { now: t + 300 })).toBe(true);
    expect(verifyEventSignature(secret, body, header, { now: t + 301 })).toBe(false);
    expect(verifyEventSignature(secret, body, header, { now: t - 301 })).toBe(false);
    expect(verifyEventSignature(secret, body, header, { now: t + 60, toleranceSeconds: 30 })).toBe(
      false,
    );
  });

  it('defaults the clock to now', () => {
    const fresh = signEventPayload(secret, body, Math.floor(Date.now() / 1000));
    expect(verifyEventSignature(secret, body, fresh)).toBe(true);
    expect(verifyEventSignature(secret, body, header)).toBe(false);
  });

  it('rejects another secret, another body or a moved timestamp', () => {
    expect(verifyEventSignature('other', body, header, { now: t })).toBe(false);
    expect(verifyEventSignature(secret, `${body} `, header, { now: t })).toBe(false);
    const moved = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(verifyEventSignature(secret, body, moved, { now: t })).toBe(false);
  });

  it('accepts any matching v1 among several (secret rollover) and ignores unknown schemes', () => {
    const other = signEventPayload('old-secret', body, t).split(',')[1]!;
    expect(verifyEventSignature(secret, body, `${header},${other},v0=zz`, { now: t })).toBe(true);
  });

  it.each(['', 'garbage', `v1=${'0'.repeat(64)}`, `t=${t}`, `t=${t},t=${t},v1=00`, 't=abc,v1=00'])(
    'rejects the malformed header %j',
    (bad) => {
      expect(verifyEventSignature(secret, body, bad, { now: t })).toBe(false);
    },
  );
});

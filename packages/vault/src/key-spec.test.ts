import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { VaultError } from './errors.js';
import { KeyRing } from './key-ring.js';

const key32 = randomBytes(32).toString('base64');

function parseError(spec: string): VaultError {
  try {
    KeyRing.parse(spec);
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected KeyRing.parse to throw');
}

describe('KeyRing.parse', () => {
  it('accepts standard and URL-safe base64, padded or not, and spaces around entries', () => {
    const raw = randomBytes(32);
    const spec = [
      `a:${raw.toString('base64')}`,
      ` b:${raw.toString('base64url')}`,
      `c:${raw.toString('base64').replace(/=+$/, '')} `,
    ].join(',');
    expect(KeyRing.parse(spec).kids).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['empty', '', /empty/],
    ['only spaces', '   ', /empty/],
    ['stray comma', `a:${key32},`, /key 2 is empty/],
    ['leading comma (unset $NEW)', `,a:${key32}`, /key 1 is empty/],
    ['no kid', key32, /key 1 is not in kid:base64 form/],
    ['empty kid', `:${key32}`, /key 1 has an invalid kid/],
    ['kid with a dot', `a.b:${key32}`, /key 1 has an invalid kid/],
    ['kid too long', `${'k'.repeat(33)}:${key32}`, /invalid kid/],
    ['bad base64', 'a:not*base64!', /key 1 \(kid "a"\) is not valid base64/],
    ['non-canonical base64', `a:${key32.slice(0, 42)}B=`, /not valid base64/],
    ['31 bytes', `a:${randomBytes(31).toString('base64')}`, /decodes to 31 bytes; expected 32/],
    ['33 bytes', `a:${randomBytes(33).toString('base64')}`, /decodes to 33 bytes/],
    [
      'duplicate kid',
      `a:${key32},a:${randomBytes(32).toString('base64')}`,
      /key 2 repeats kid "a"/,
    ],
  ])('rejects %s with invalid_key_spec', (_name, spec, message) => {
    const error = parseError(spec);
    expect(error.code).toBe('invalid_key_spec');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(key32);
  });

  it('does not echo an invalid kid, which may be key text in the wrong place', () => {
    const error = parseError(`${key32.slice(0, 20)}+:${key32}`);
    expect(error.message).not.toContain(key32.slice(0, 20));
  });
});

describe('KeyRing.generateSpec', () => {
  it('produces a parseable spec with a fresh key each time', () => {
    const first = KeyRing.generateSpec('dev');
    const second = KeyRing.generateSpec('dev');
    expect(first).toMatch(/^dev:[A-Za-z0-9+/]{43}=$/);
    expect(first).not.toBe(second);
    expect(KeyRing.parse(first).primaryKid).toBe('dev');
  });

  it('defaults to a dated kid and rejects an invalid one', () => {
    expect(KeyRing.parse(KeyRing.generateSpec()).primaryKid).toMatch(/^k\d{8}-[0-9a-f]{4}$/);
    expect(() => KeyRing.generateSpec('no.dots')).toThrow(VaultError);
  });

  it('encrypts with a generated key after the decoded buffer was wiped', () => {
    const ring = KeyRing.parse(KeyRing.generateSpec('x'));
    const ctx = { table: 't', rowId: 'r', field: 'f' };
    expect(ring.decrypt(ring.encrypt('v', ctx), ctx)).toBe('v');
  });
});

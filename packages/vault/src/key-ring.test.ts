import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import type { CipherContext, Ciphertext } from './ciphertext.js';
import { VaultError, type VaultErrorCode } from './errors.js';
import { KeyRing } from './key-ring.js';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const ringA = KeyRing.parse(`a:${keyA}`);
const ringBA = KeyRing.parse(`b:${keyB},a:${keyA}`);
const ctx: CipherContext = { table: 'connections', rowId: 'row-1', field: 'access_token' };
const secret = 'ya29.a0-super-secret-access-token';

function codeOf(fn: () => unknown): VaultErrorCode {
  try {
    fn();
  } catch (error) {
    if (error instanceof VaultError) return error.code;
    throw error;
  }
  throw new Error('expected a VaultError');
}

/** Flips one bit of one dot-separated part, at a byte offset counted from its start or end. */
function flipBit(ct: Ciphertext, part: 2 | 3, byteIndex: number): Ciphertext {
  const parts = ct.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  const at = byteIndex < 0 ? bytes.length + byteIndex : byteIndex;
  bytes[at] = bytes[at]! ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.') as Ciphertext;
}

describe('KeyRing encrypt/decrypt', () => {
  it('round-trips, including empty and non-ASCII values', () => {
    for (const value of [secret, '', 'üñí©ødé ✓ 🔑']) {
      expect(ringA.decrypt(ringA.encrypt(value, ctx), ctx)).toBe(value);
    }
  });

  it('serializes as v1.<kid>.<iv>.<ciphertext+tag> with a 12-byte IV', () => {
    const [version, kid, iv, sealed, ...rest] = ringA.encrypt(secret, ctx).split('.');
    expect([version, kid, rest]).toEqual(['v1', 'a', []]);
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(sealed!, 'base64url')).toHaveLength(Buffer.byteLength(secret) + 16);
  });

  it('uses a fresh IV each time, so equal values encrypt differently', () => {
    const first = ringA.encrypt(secret, ctx);
    const second = ringA.encrypt(secret, ctx);
    expect(first).not.toBe(second);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
  });

  it.each([
    ['ciphertext', 3, 0],
    ['iv', 2, 0],
    ['tag', 3, -1],
  ] as const)('rejects a flipped bit in the %s', (_name, part, index) => {
    const tampered = flipBit(ringA.encrypt(secret, ctx), part, index);
    expect(codeOf(() => ringA.decrypt(tampered, ctx))).toBe('decrypt_failed');
  });

  it('rejects a ciphertext moved to another row or field', () => {
    const ct = ringA.encrypt(secret, ctx);
    expect(codeOf(() => ringA.decrypt(ct, { ...ctx, rowId: 'row-2' }))).toBe('decrypt_failed');
    expect(codeOf(() => ringA.decrypt(ct, { ...ctx, field: 'refresh_token' }))).toBe(
      'decrypt_failed',
    );
    expect(codeOf(() => ringA.decrypt(ct, { ...ctx, table: 'link_sessions' }))).toBe(
      'decrypt_failed',
    );
  });

  it('keeps context parts apart: ("a.b","c") and ("a","b.c") do not collide', () => {
    const ct = ringA.encrypt(secret, { table: 't', rowId: 'a.b', field: 'c' });
    expect(codeOf(() => ringA.decrypt(ct, { table: 't', rowId: 'a', field: 'b.c' }))).toBe(
      'decrypt_failed',
    );
  });

  it('rejects an empty context part', () => {
    expect(codeOf(() => ringA.encrypt(secret, { ...ctx, rowId: '' }))).toBe('invalid_context');
  });

  it('rejects a key id it does not hold', () => {
    const ct = ringBA.encrypt(secret, ctx);
    expect(codeOf(() => ringA.decrypt(ct, ctx))).toBe('unknown_key');
  });

  it('rejects a kid swapped in the header even when that key exists', () => {
    const ct = ringBA.encrypt(secret, ctx).replace(/^v1\.b\./, 'v1.a.') as Ciphertext;
    expect(codeOf(() => ringBA.decrypt(ct, ctx))).toBe('decrypt_failed');
  });

  it.each([
    ['empty', ''],
    ['plain text', 'not a ciphertext'],
    ['wrong version', 'v2.a.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['too few parts', 'v1.a.AAAAAAAAAAAAAAAA'],
    ['too many parts', 'v1.a.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.x'],
    ['bad kid', 'v1.a b.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['short iv', 'v1.a.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['iv not base64url', 'v1.a.AAAAAAAAAAAAAA+/.AAAAAAAAAAAAAAAAAAAAAA'],
    ['no room for a tag', 'v1.a.AAAAAAAAAAAAAAAA.AAAA'],
  ])('rejects a malformed value (%s)', (_name, value) => {
    expect(codeOf(() => ringA.decrypt(value as Ciphertext, ctx))).toBe('malformed_ciphertext');
  });
});

describe('KeyRing rotation', () => {
  it('decrypts old values with the old key and encrypts new ones under the new key', () => {
    const old = ringA.encrypt(secret, ctx);
    expect(ringBA.primaryKid).toBe('b');
    expect(ringBA.decrypt(old, ctx)).toBe(secret);
    expect(ringBA.keyIdOf(ringBA.encrypt(secret, ctx))).toBe('b');
    expect(ringBA.isCurrent(old)).toBe(false);
    expect(ringA.isCurrent(old)).toBe(true);
  });

  it('reencrypt moves a value to the primary key', () => {
    const old = ringA.encrypt(secret, ctx);
    const moved = ringBA.reencrypt(old, ctx);
    expect(ringBA.keyIdOf(moved)).toBe('b');
    expect(ringBA.isCurrent(moved)).toBe(true);
    expect(ringBA.decrypt(moved, ctx)).toBe(secret);
    expect(codeOf(() => ringA.decrypt(moved, ctx))).toBe('unknown_key');
  });

  it('lists kids primary first', () => {
    expect(ringBA.kids).toEqual(['b', 'a']);
  });
});

describe('KeyRing never shows key material', () => {
  it('shows only kids through inspect, JSON, String and enumeration', () => {
    const shown = [
      inspect(ringBA, { showHidden: true, depth: 10 }),
      JSON.stringify(ringBA),
      JSON.stringify(Object.entries(ringBA)),
      String(Reflect.ownKeys(ringBA).map(String)),
    ].join('\n');
    expect(shown).toContain('"b"');
    for (const key of [keyA, keyB]) {
      expect(shown).not.toContain(key);
      expect(shown).not.toContain(Buffer.from(key, 'base64').toString('hex'));
    }
  });

  it('keeps plaintext and keys out of error messages', () => {
    const ct = ringA.encrypt(secret, ctx);
    const messages: string[] = [];
    for (const attempt of [
      () => ringA.decrypt(ct, { ...ctx, rowId: 'other' }),
      () => ringA.decrypt(flipBit(ct, 3, 0), ctx),
      () => ringA.decrypt(`${ct}.x` as Ciphertext, ctx),
      () => KeyRing.parse(`a:${keyA},a:${keyB}`),
      () => KeyRing.parse(`a:${keyA.slice(0, -4)}`),
    ]) {
      try {
        attempt();
      } catch (error) {
        messages.push((error as Error).message, inspect(error));
      }
    }
    expect(messages).toHaveLength(10);
    for (const forbidden of [secret, keyA, keyB, keyA.slice(0, -4), ct.split('.')[3]!]) {
      for (const message of messages) expect(message).not.toContain(forbidden);
    }
  });
});

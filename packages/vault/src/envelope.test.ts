import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { associatedData, decodeBase64Url, FORMAT_VERSION } from './envelope.js';
import { KeyRing } from './key-ring.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The check the decoder made before: decode, encode again, compare. */
function canonicalByRoundTrip(text: string): boolean {
  return Buffer.from(text, 'base64url').toString('base64url') === text;
}

describe('decodeBase64Url', () => {
  it('accepts exactly what encoding the bytes again gives back, for every last character', () => {
    for (let length = 0; length <= 20; length += 1) {
      const body = randomBytes(length).toString('base64url');
      const stem = body.slice(0, -1);
      for (const last of ALPHABET) {
        const text = stem + last;
        if (text === '') continue;
        const decoded = decodeBase64Url(text);
        expect(decoded !== undefined, `${text} (${length} bytes)`).toBe(canonicalByRoundTrip(text));
        if (decoded !== undefined) expect(decoded.toString('base64url')).toBe(text);
      }
      // One character more than a whole byte sequence: never canonical when it leaves one over.
      const longer = `${body}A`;
      expect(decodeBase64Url(longer) !== undefined).toBe(canonicalByRoundTrip(longer));
    }
  });
});

describe('associatedData', () => {
  it('is the JSON of the fixed-order tuple, byte for byte, for any row id and field', () => {
    const rowIds = ['row-1', 'a"b', 'ü/\\n', '6f0d4c2e-3b7a-4e51-9a57-0c1f2d3e4f50'];
    for (const table of ['connections', 'link_sessions']) {
      for (const field of ['access_token', 'refresh_token', 'we"ird']) {
        for (const rowId of rowIds) {
          expect(associatedData('k1', { table, rowId, field }).toString('utf8')).toBe(
            JSON.stringify([FORMAT_VERSION, 'k1', table, rowId, field]),
          );
        }
      }
    }
  });
});

describe('IVs', () => {
  it('are never repeated, across many refills of the pool', () => {
    const ring = KeyRing.parse(KeyRing.generateSpec('k1'));
    const ctx = { table: 'connections', rowId: 'row-1', field: 'refresh_token' };
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i += 1) seen.add(ring.encrypt('same value', ctx).split('.')[2]!);
    expect(seen.size).toBe(2_000);
  });
});

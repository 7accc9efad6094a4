import type { CipherContext, Ciphertext } from './ciphertext.js';
import { VaultError } from './errors.js';
import { KID_PATTERN } from './key-spec.js';

export const FORMAT_VERSION = 'v1';
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

const BASE64URL_TEXT = /^[A-Za-z0-9_-]+$/;

/** A ciphertext taken apart; `sealed` is the AES-GCM output followed by its tag. */
export interface Envelope {
  readonly kid: string;
  readonly iv: Buffer;
  readonly sealed: Buffer;
}

export function serializeEnvelope({ kid, iv, sealed }: Envelope): Ciphertext {
  return [FORMAT_VERSION, kid, iv.toString('base64url'), sealed.toString('base64url')].join(
    '.',
  ) as Ciphertext;
}

/** Parses `v1.<kid>.<iv>.<ciphertext+tag>`; the value itself never reaches the message. */
export function parseEnvelope(value: string): Envelope {
  const parts = value.split('.');
  if (parts.length !== 4) throw malformed('expected 4 dot-separated parts');
  const [version, kid, ivText, sealedText] = parts as [string, string, string, string];
  if (version !== FORMAT_VERSION) throw malformed('unsupported format version');
  if (!KID_PATTERN.test(kid)) throw malformed('invalid key id');
  const iv = decodeBase64Url(ivText);
  if (iv?.length !== IV_BYTES) throw malformed(`the IV must be ${IV_BYTES} bytes`);
  const sealed = decodeBase64Url(sealedText);
  if (sealed === undefined || sealed.length < TAG_BYTES) {
    throw malformed('the sealed part must hold at least the 16-byte tag');
  }
  return { kid, iv, sealed };
}

/**
 * The AES-GCM associated data: JSON of a fixed-order tuple, so each part is delimited
 * unambiguously (`("a.b","c")` and `("a","b.c")` differ) and a ciphertext only opens in
 * the row and field, under the key id and format, it was written for.
 */
export function associatedData(kid: string, ctx: CipherContext): Buffer {
  if (ctx.table === '') throw emptyContextPart('table');
  if (ctx.rowId === '') throw emptyContextPart('rowId');
  if (ctx.field === '') throw emptyContextPart('field');
  const { head, tail } = aadFrame(kid, ctx.table, ctx.field);
  return Buffer.from(head + JSON.stringify(ctx.rowId) + tail, 'utf8');
}

// The tuple's parts around the row id are the same for every value of one key, table and
// field (a handful per process): built once, the same bytes JSON.stringify of the whole gives.
// Nested maps, so a look-up builds no key string.
type Frame = { readonly head: string; readonly tail: string };
const aadFrames = new Map<string, Map<string, Map<string, Frame>>>();

function aadFrame(kid: string, table: string, field: string): Frame {
  const byTable = getOrAdd(aadFrames, kid, () => new Map<string, Map<string, Frame>>());
  const byField = getOrAdd(byTable, table, () => new Map<string, Frame>());
  return getOrAdd(byField, field, () => ({
    head: `${JSON.stringify([FORMAT_VERSION, kid, table]).slice(0, -1)},`,
    tail: `,${JSON.stringify(field)}]`,
  }));
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function emptyContextPart(part: keyof CipherContext): VaultError {
  return new VaultError('invalid_context', `The cipher context needs a non-empty ${part}`);
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Decodes canonical unpadded base64url only, so one ciphertext has exactly one spelling: no
 * length that leaves a lone character, and no bits set in the last character past the final
 * byte (the values encoding the bytes again would give back), checked without that second
 * encoding.
 */
export function decodeBase64Url(text: string): Buffer | undefined {
  if (!BASE64URL_TEXT.test(text)) return undefined;
  const rest = text.length % 4;
  if (rest === 1) return undefined;
  // 2 characters carry 1 byte (4 spare bits), 3 carry 2 bytes (2 spare bits).
  const spareBits = rest === 2 ? 0b1111 : rest === 3 ? 0b11 : 0;
  if ((BASE64URL_ALPHABET.indexOf(text.charAt(text.length - 1)) & spareBits) !== 0) {
    return undefined;
  }
  return Buffer.from(text, 'base64url');
}

function malformed(reason: string): VaultError {
  return new VaultError('malformed_ciphertext', `Malformed ciphertext: ${reason}`);
}

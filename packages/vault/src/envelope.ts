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
  for (const part of ['table', 'rowId', 'field'] as const) {
    if (ctx[part] === '') {
      throw new VaultError('invalid_context', `The cipher context needs a non-empty ${part}`);
    }
  }
  return Buffer.from(JSON.stringify([FORMAT_VERSION, kid, ctx.table, ctx.rowId, ctx.field]));
}

function decodeBase64Url(text: string): Buffer | undefined {
  if (!BASE64URL_TEXT.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Reject non-canonical encodings so one ciphertext has exactly one spelling.
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function malformed(reason: string): VaultError {
  return new VaultError('malformed_ciphertext', `Malformed ciphertext: ${reason}`);
}

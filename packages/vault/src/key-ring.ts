import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';

import type { CipherContext, Ciphertext } from './ciphertext.js';
import {
  IV_BYTES,
  TAG_BYTES,
  associatedData,
  parseEnvelope,
  serializeEnvelope,
} from './envelope.js';
import { VaultError } from './errors.js';
import { generateKeySpec, parseKeySpec } from './key-spec.js';
import { Secret } from './secret.js';

const ALGORITHM = 'aes-256-gcm';

// IVs are drawn from the CSPRNG a few hundred at a time rather than one call each: every
// slice is handed out once and used at once (encrypt is synchronous), so each value still
// gets its own fresh random 96-bit IV.
const IV_POOL = Buffer.alloc(IV_BYTES * 256);
let ivOffset = IV_POOL.length;

function freshIv(): Buffer {
  if (ivOffset === IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  const iv = IV_POOL.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/**
 * The token encryption keys (docs/architecture.md, rule 2): AES-256-GCM, the first key encrypts and every
 * key decrypts, so keys rotate by prepending a new one and re-encrypting rows.
 * Keys live in `#private` fields as KeyObjects: inspect, JSON and enumeration show only kids.
 */
export class KeyRing {
  readonly #keys: ReadonlyMap<string, KeyObject>;
  readonly #primaryKid: string;

  private constructor(keys: Map<string, KeyObject>, primaryKid: string) {
    this.#keys = keys;
    this.#primaryKid = primaryKid;
  }

  /** Parses `TOKENLANE_ENCRYPTION_KEYS` (`kid:base64(32 bytes)`, comma-separated, newest first). */
  static parse(spec: string): KeyRing {
    const parsed = parseKeySpec(spec);
    const primary = parsed[0];
    if (primary === undefined) {
      throw new VaultError('invalid_key_spec', 'Invalid encryption key list: no keys');
    }
    return new KeyRing(new Map(parsed.map(({ kid, key }) => [kid, key])), primary.kid);
  }

  /** A fresh random one-key spec string, for dev mode to generate and persist a key. */
  static generateSpec(kid?: string): string {
    return generateKeySpec(kid);
  }

  /** The id of the key new values are encrypted under. */
  get primaryKid(): string {
    return this.#primaryKid;
  }

  /** Every key id this ring can decrypt, primary first. */
  get kids(): readonly string[] {
    return [...this.#keys.keys()];
  }

  /** Encrypts under the primary key with a fresh 96-bit IV, bound to `ctx` (NIST SP 800-38D). */
  encrypt(plaintext: string | Secret, ctx: CipherContext): Ciphertext {
    const text = plaintext instanceof Secret ? plaintext.reveal() : plaintext;
    const kid = this.#primaryKid;
    const aad = associatedData(kid, ctx);
    const iv = freshIv();
    const cipher = createCipheriv(ALGORITHM, this.#key(kid), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const sealed = Buffer.concat([
      cipher.update(text, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return serializeEnvelope({ kid, iv, sealed });
  }

  /** Decrypts a value written for exactly this `ctx`; any tampering gives `decrypt_failed`. */
  decrypt(ciphertext: Ciphertext, ctx: CipherContext): string {
    const { kid, iv, sealed } = parseEnvelope(ciphertext);
    const key = this.#key(kid);
    const aad = associatedData(kid, ctx);
    const bodyLength = sealed.length - TAG_BYTES;
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(sealed.subarray(bodyLength));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(0, bodyLength)),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    } catch {
      // OpenSSL's reason adds nothing an operator can act on; the code says it all.
      throw new VaultError(
        'decrypt_failed',
        `Decryption failed under key "${kid}": wrong row or field, or the value was altered`,
      );
    }
  }

  /** The key id a ciphertext was written under (read from its header; nothing is decrypted). */
  keyIdOf(ciphertext: Ciphertext): string {
    return parseEnvelope(ciphertext).kid;
  }

  /** True when already under the primary key: the rotation job skips such rows. */
  isCurrent(ciphertext: Ciphertext): boolean {
    return this.keyIdOf(ciphertext) === this.#primaryKid;
  }

  /** Decrypts and encrypts again under the primary key, for the key-rotation job. */
  reencrypt(ciphertext: Ciphertext, ctx: CipherContext): Ciphertext {
    return this.encrypt(this.decrypt(ciphertext, ctx), ctx);
  }

  toJSON(): { primaryKid: string; kids: readonly string[] } {
    return { primaryKid: this.#primaryKid, kids: this.kids };
  }

  [inspect.custom](): string {
    return `KeyRing { primaryKid: ${JSON.stringify(this.#primaryKid)}, kids: ${JSON.stringify(this.kids)} }`;
  }

  #key(kid: string): KeyObject {
    const key = this.#keys.get(kid);
    if (key === undefined) {
      throw new VaultError('unknown_key', `No key with id "${kid}" is configured`);
    }
    return key;
  }
}

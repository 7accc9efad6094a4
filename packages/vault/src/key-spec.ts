import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

import { VaultError } from './errors.js';

/** Key ids end up inside every ciphertext, split on `.`, so they stay short and dot-free. */
export const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const KEY_BYTES = 32;

const BASE64_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/;

export interface ParsedKey {
  readonly kid: string;
  readonly key: KeyObject;
}

/**
 * Parses `kid:base64(32 bytes)[,kid:base64…]`. Strict on purpose: an empty entry usually
 * means `$NEW,$OLD` with `$NEW` unset, which would silently encrypt under the old key.
 * Messages name entries by position and (valid) kid only, never by their key text.
 */
export function parseKeySpec(spec: string): ParsedKey[] {
  if (spec.trim() === '') {
    throw invalid('the key list is empty; expected kid:base64(32 bytes)[,kid:base64(32 bytes)…]');
  }
  const seen = new Set<string>();
  return spec.split(',').map((rawEntry, index) => {
    const where = `key ${index + 1}`;
    const entry = rawEntry.trim();
    if (entry === '') throw invalid(`${where} is empty (stray comma?)`);
    const colon = entry.indexOf(':');
    if (colon < 0) throw invalid(`${where} is not in kid:base64 form`);
    const kid = entry.slice(0, colon);
    if (!KID_PATTERN.test(kid)) {
      throw invalid(`${where} has an invalid kid; expected 1-32 characters of [A-Za-z0-9_-]`);
    }
    if (seen.has(kid)) throw invalid(`${where} repeats kid "${kid}"`);
    seen.add(kid);
    const bytes = decodeBase64(entry.slice(colon + 1));
    if (bytes === undefined) throw invalid(`${where} (kid "${kid}") is not valid base64`);
    try {
      if (bytes.length !== KEY_BYTES) {
        throw invalid(
          `${where} (kid "${kid}") decodes to ${bytes.length} bytes; expected ${KEY_BYTES}`,
        );
      }
      // The KeyObject keeps its own copy outside the JS heap; wipe ours either way.
      return { kid, key: createSecretKey(bytes) };
    } finally {
      bytes.fill(0);
    }
  });
}

/** A fresh `kid:base64(32 random bytes)` entry, e.g. for dev mode to persist a first key. */
export function generateKeySpec(kid: string = defaultKid()): string {
  if (!KID_PATTERN.test(kid)) {
    throw invalid('the kid is invalid; expected 1-32 characters of [A-Za-z0-9_-]');
  }
  const key = randomBytes(KEY_BYTES);
  try {
    return `${kid}:${key.toString('base64')}`;
  } finally {
    key.fill(0);
  }
}

/** Dated so operators can tell keys apart by age; the suffix keeps same-day keys distinct. */
function defaultKid(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `k${day}-${randomBytes(2).toString('hex')}`;
}

/** Standard or URL-safe alphabet, padding optional, but canonical (no stray trailing bits). */
function decodeBase64(text: string): Buffer | undefined {
  if (!BASE64_TEXT.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  const canonical = bytes.toString('base64').replace(/=+$/, '');
  const given = text.replace(/=+$/, '').replaceAll('-', '+').replaceAll('_', '/');
  if (canonical !== given) {
    bytes.fill(0);
    return undefined;
  }
  return bytes;
}

function invalid(message: string): VaultError {
  return new VaultError('invalid_key_spec', `Invalid encryption key list: ${message}`);
}

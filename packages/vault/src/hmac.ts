import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HmacEncoding = 'hex' | 'base64';

/** HMAC-SHA256 as providers and our outgoing events use it (RFC 2104). */
export function hmacSha256(
  secret: string | Buffer,
  payload: string | Buffer,
  encoding: HmacEncoding,
): string {
  return createHmac('sha256', secret).update(payload).digest(encoding);
}

/**
 * Checks an HMAC-SHA256 signature in constant time. Hex is compared case-insensitively
 * (providers differ); base64 must be the canonical padded form. A signature of the wrong
 * length is simply wrong: false, never an exception.
 */
export function verifyHmacSha256(
  secret: string | Buffer,
  payload: string | Buffer,
  signature: string,
  encoding: HmacEncoding,
): boolean {
  const expected = Buffer.from(hmacSha256(secret, payload, encoding), 'utf8');
  const given = Buffer.from(encoding === 'hex' ? signature.toLowerCase() : signature, 'utf8');
  // The length of a valid signature is public, so leaving early here leaks nothing.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Compares two secrets (API keys, passwords) without leaking where they differ or how long
 * the expected one is: both sides are hashed to 32 bytes before the constant-time compare.
 */
export function timingSafeEqualString(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(digestA, digestB);
}

import { createHash, randomBytes } from 'node:crypto';

const STATE_BYTES = 32;
const MIN_TOKEN_BYTES = 16;

/**
 * A fresh OAuth `state` (256 bits from the OS CSPRNG, base64url) and the hash to store in
 * its place: only the hash is persisted (docs/architecture.md, rule 3).
 * @see RFC 6749 §10.12, RFC 9700 §4.7
 */
export function generateState(): { state: string; stateHash: string } {
  const state = randomBytes(STATE_BYTES).toString('base64url');
  return { state, stateHash: hashState(state) };
}

/** Hex SHA-256 of a state value: what is stored and looked up, so a DB leak yields no state. */
export function hashState(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

/** A random bearer secret (API keys, link ids that act as secrets), base64url; at least 128 bits. */
export function randomToken(bytes = 32): string {
  if (!Number.isSafeInteger(bytes) || bytes < MIN_TOKEN_BYTES) {
    throw new RangeError(`randomToken needs an integer of at least ${MIN_TOKEN_BYTES} bytes`);
  }
  return randomBytes(bytes).toString('base64url');
}

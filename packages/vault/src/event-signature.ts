import { hmacSha256, verifyHmacSha256 } from './hmac.js';

/** How far a `Tokenlane-Signature` timestamp may drift from the receiver's clock by default. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface VerifyEventSignatureOptions {
  /** Maximum age (and clock skew) accepted, in seconds; default 300. */
  readonly toleranceSeconds?: number;
  /** The receiver's clock in unix seconds; default now. */
  readonly now?: number;
}

/**
 * The `Tokenlane-Signature` header for an outgoing event (docs/api.md): `t=<unix>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<body>")>`. Signing the timestamp with the body stops replays of
 * old deliveries.
 */
export function signEventPayload(
  secret: string | Buffer,
  body: string | Buffer,
  timestampSeconds: number,
): string {
  assertTimestamp(timestampSeconds);
  return `t=${timestampSeconds},v1=${hmacSha256(secret, signedPayload(timestampSeconds, body), 'hex')}`;
}

/**
 * Verifies a `Tokenlane-Signature` header against the raw body: a `v1` signature must match
 * (several are allowed, for secret rollover) and `t` must be within the tolerance.
 */
export function verifyEventSignature(
  secret: string | Buffer,
  body: string | Buffer,
  header: string,
  options: VerifyEventSignatureOptions = {},
): boolean {
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const parsed = parseHeader(header);
  if (parsed === undefined || Math.abs(now - parsed.timestamp) > tolerance) return false;
  const payload = signedPayload(parsed.timestamp, body);
  // Check every candidate so the time taken does not depend on which one matched.
  return parsed.signatures.reduce(
    (ok, signature) => verifyHmacSha256(secret, payload, signature, 'hex') || ok,
    false,
  );
}

function signedPayload(timestamp: number, body: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), Buffer.from(body)]);
}

function parseHeader(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,15}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      signatures.push(value);
    }
    // Other schemes (a future v2) are ignored so senders can add them without breaking us.
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

function assertTimestamp(seconds: number): void {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError('The signature timestamp must be a non-negative integer of unix seconds');
  }
}

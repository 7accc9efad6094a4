import { verifyEventSignature, type VerifyEventSignatureOptions } from '@tokenlane/vault';

export { verifyEventSignature };
export type { VerifyEventSignatureOptions };

/**
 * Verifies an outgoing event's `Tokenlane-Signature` header against the raw request body
 * (the bytes as received, before any JSON parsing) and rejects stale timestamps.
 */
export function verifyWebhook(
  body: string | Buffer,
  header: string | undefined,
  secret: string,
  options: VerifyEventSignatureOptions = {},
): boolean {
  if (header === undefined || header === '') return false;
  return verifyEventSignature(secret, body, header, options);
}

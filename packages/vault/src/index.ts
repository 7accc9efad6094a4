export type { CipherContext, Ciphertext } from './ciphertext.js';
export { VAULT_ERROR_CODES, VaultError } from './errors.js';
export type { VaultErrorCode } from './errors.js';
export { KeyRing } from './key-ring.js';
export { Secret } from './secret.js';
export { generateState, hashState, randomToken } from './random.js';
export { hmacSha256, timingSafeEqualString, verifyHmacSha256 } from './hmac.js';
export type { HmacEncoding } from './hmac.js';
export {
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  signEventPayload,
  verifyEventSignature,
} from './event-signature.js';
export type { VerifyEventSignatureOptions } from './event-signature.js';
export {
  signStandardWebhook,
  STANDARD_WEBHOOK_SECRET_PREFIX,
  standardWebhookKey,
} from './standard-webhook.js';
export type { StandardWebhookHeaders } from './standard-webhook.js';

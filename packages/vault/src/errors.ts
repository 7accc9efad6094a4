/** Every way a vault operation can fail; callers switch on `code`, never on the message. */
export const VAULT_ERROR_CODES = [
  'invalid_key_spec',
  'invalid_context',
  'unknown_key',
  'malformed_ciphertext',
  'decrypt_failed',
] as const;

export type VaultErrorCode = (typeof VAULT_ERROR_CODES)[number];

/**
 * A vault failure. Messages are written for operators and never contain key material,
 * plaintext or the ciphertext itself, so they are safe to log (docs/architecture.md, rule 1).
 */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

declare const brand: unique symbol;

/**
 * An encrypted value as stored in Postgres: `v1.<kid>.<iv>.<ciphertext+tag>` (base64url parts).
 * Its own type, so a plaintext token can never be written where a ciphertext belongs.
 */
export type Ciphertext = string & { readonly [brand]: 'Ciphertext' };

/**
 * What a ciphertext is bound to (the AES-GCM associated data): a value encrypted for one
 * row and field fails to decrypt anywhere else.
 */
export interface CipherContext {
  readonly table: string;
  readonly rowId: string;
  readonly field: string;
}

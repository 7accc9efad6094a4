import type { ConnectionCiphertexts } from '@tokenlane/db';
import { VaultError, type Ciphertext, type KeyRing, type VaultErrorCode } from '@tokenlane/vault';

/** Column ↔ the field name its ciphertext is bound to (same as lifecycle's sealing). */
const FIELDS = [
  ['accessTokenEnc', 'access_token'],
  ['refreshTokenEnc', 'refresh_token'],
  ['tokenSecretEnc', 'token_secret'],
] as const;

export type RowCiphertexts = Pick<
  ConnectionCiphertexts,
  'accessTokenEnc' | 'refreshTokenEnc' | 'tokenSecretEnc'
>;

export type ReencryptedRow =
  | { readonly ok: true; readonly ciphertexts: RowCiphertexts; readonly changed: number }
  | { readonly ok: false; readonly code: VaultErrorCode };

/**
 * The row's ciphertexts with every one not under the primary key decrypted and encrypted
 * again under it, bound to the same row and field. A value that cannot be decrypted (its key
 * is not configured, or it was altered) fails the whole row: it is left as it is.
 */
export function reencryptRow(ring: KeyRing, row: ConnectionCiphertexts): ReencryptedRow {
  const out: Record<keyof RowCiphertexts, Ciphertext | null> = {
    accessTokenEnc: row.accessTokenEnc,
    refreshTokenEnc: row.refreshTokenEnc,
    tokenSecretEnc: row.tokenSecretEnc,
  };
  let changed = 0;
  try {
    for (const [column, field] of FIELDS) {
      const value = row[column];
      if (value === null || ring.isCurrent(value)) continue;
      out[column] = ring.reencrypt(value, { table: 'connections', rowId: row.id, field });
      changed += 1;
    }
  } catch (error) {
    if (error instanceof VaultError) return { ok: false, code: error.code };
    throw error;
  }
  return { ok: true, ciphertexts: out, changed };
}

import {
  LINK_SESSION_CIPHERTEXTS,
  listLinkSessionsNotUnderKey,
  reencryptLinkSession,
  type DbExecutor,
  type LinkSessionCiphertextColumn,
  type LinkSessionCiphertexts,
} from '@tokenlane/db';
import type { LinkSessionId } from '@tokenlane/core';
import { VaultError, type Ciphertext, type KeyRing } from '@tokenlane/vault';

/** What rotating the link sessions did. */
export interface LinkSessionRotation {
  /** Link sessions rewritten under the primary key. */
  readonly rotated: number;
  /** Link sessions whose ciphertexts no configured key opens (left to expire and be deleted). */
  readonly failed: number;
  /** Link sessions still holding a ciphertext under another key. */
  readonly remaining: number;
}

/**
 * Re-encrypts the ciphertexts of link sessions (PKCE verifiers, request-token secrets, codes,
 * link URLs) under the key ring's primary key, like connections: a keyset walk, a
 * compare-and-set write per session, sessions changed meanwhile read again on the next pass.
 */
export async function rotateLinkSessionKeys(
  db: DbExecutor,
  keyRing: KeyRing,
  batchSize: number,
  signal?: AbortSignal,
): Promise<LinkSessionRotation> {
  const failed = new Set<LinkSessionId>();
  const aborted = () => signal?.aborted === true;
  let rotated = 0;
  for (let pass = 0; pass < 3 && !aborted(); pass += 1) {
    let after: LinkSessionId | undefined;
    let lost = 0;
    for (;;) {
      const rows = await listLinkSessionsNotUnderKey(db, keyRing.primaryKid, {
        after,
        limit: batchSize,
      });
      after = rows.at(-1)?.id;
      for (const row of rows) {
        if (failed.has(row.id)) continue;
        const next = reencrypt(keyRing, row);
        if (next === undefined) failed.add(row.id);
        else if (await reencryptLinkSession(db, row, next)) rotated += 1;
        else lost += 1;
      }
      if (rows.length < batchSize || aborted()) break;
    }
    if (lost === 0) break;
  }
  const left = await listLinkSessionsNotUnderKey(db, keyRing.primaryKid, { limit: 100_000 });
  return { rotated, failed: failed.size, remaining: left.length };
}

function reencrypt(
  ring: KeyRing,
  row: LinkSessionCiphertexts,
): LinkSessionCiphertexts['values'] | undefined {
  const next: Record<LinkSessionCiphertextColumn, Ciphertext | null> = { ...row.values };
  try {
    for (const [column, field] of LINK_SESSION_CIPHERTEXTS) {
      const value = row.values[column];
      if (value === null || ring.isCurrent(value)) continue;
      next[column] = ring.reencrypt(value, { table: 'link_sessions', rowId: row.id, field });
    }
  } catch (error) {
    if (error instanceof VaultError) return undefined;
    throw error;
  }
  return next;
}

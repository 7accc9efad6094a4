import type { ConnectionId } from '@tokenlane/core';
import type { Ciphertext } from '@tokenlane/vault';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbExecutor } from './schema.js';

/** A connection's ciphertexts, as the re-encrypt job needs them. */
export interface ConnectionCiphertexts {
  readonly id: ConnectionId;
  /** Pass back to {@link reencryptConnection}, so a concurrent refresh wins. */
  readonly tokenVersion: number;
  readonly accessTokenEnc: Ciphertext | null;
  readonly refreshTokenEnc: Ciphertext | null;
  readonly tokenSecretEnc: Ciphertext | null;
}

const ENC_COLUMNS = ['access_token_enc', 'refresh_token_enc', 'token_secret_enc'] as const;

/** Keyset cursor for {@link listRowsNotUnderKey}. */
export interface KeyRotationPage {
  readonly after?: ConnectionId | undefined;
  readonly limit: number;
}

/**
 * Connections holding any ciphertext not encrypted under key `kid` (`v1.<kid>.` prefix),
 * ordered by id. A full scan: it runs in a background job, rarely.
 */
export async function listRowsNotUnderKey(
  db: DbExecutor,
  kid: string,
  page: KeyRotationPage,
): Promise<ConnectionCiphertexts[]> {
  const prefix = `v1.${kid}.`;
  let select = db
    .selectFrom('connections')
    .select(['id', 'token_version', ...ENC_COLUMNS])
    .where((eb) =>
      eb.or(
        ENC_COLUMNS.map(
          // starts_with, not LIKE: a key id may contain `_` or `%`.
          (column): Expression<SqlBool> =>
            sql<SqlBool>`(${sql.ref(column)} is not null and not starts_with(${sql.ref(column)}, ${prefix}))`,
        ),
      ),
    );
  if (page.after !== undefined) select = select.where('id', '>', page.after);
  const rows = await select.orderBy('id').limit(page.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    tokenVersion: row.token_version,
    accessTokenEnc: row.access_token_enc,
    refreshTokenEnc: row.refresh_token_enc,
    tokenSecretEnc: row.token_secret_enc,
  }));
}

/** Walks {@link listRowsNotUnderKey} page by page until no row is left behind. */
export async function* iterateCiphertexts(
  db: DbExecutor,
  kid: string,
  pageSize = 500,
): AsyncGenerator<ConnectionCiphertexts> {
  let after: ConnectionId | undefined;
  for (;;) {
    const rows = await listRowsNotUnderKey(db, kid, { after, limit: pageSize });
    yield* rows;
    const last = rows.at(-1);
    if (last === undefined || rows.length < pageSize) return;
    after = last.id;
  }
}

/**
 * Stores the same tokens re-encrypted under the newest key, only if `token_version` is
 * unchanged. It does not bump the version: the plaintext is the same, so a refresh that read
 * the old ciphertexts must still win its own compare-and-set. Returns whether it wrote.
 */
export async function reencryptConnection(
  db: DbExecutor,
  id: ConnectionId,
  expectedVersion: number,
  ciphertexts: Pick<ConnectionCiphertexts, 'accessTokenEnc' | 'refreshTokenEnc' | 'tokenSecretEnc'>,
): Promise<boolean> {
  const result = await db
    .updateTable('connections')
    .set({
      access_token_enc: ciphertexts.accessTokenEnc,
      refresh_token_enc: ciphertexts.refreshTokenEnc,
      token_secret_enc: ciphertexts.tokenSecretEnc,
    })
    .where('id', '=', id)
    .where('token_version', '=', expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

import type { LinkSessionId } from '@tokenlane/core';
import type { Ciphertext } from '@tokenlane/vault';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbExecutor } from './schema.js';

/** A link session's ciphertext columns, with the field each is bound to (lifecycle's sealing). */
export const LINK_SESSION_CIPHERTEXTS = [
  ['request_token_secret_enc', 'request_token'],
  ['code_verifier_enc', 'code_verifier'],
  ['code_enc', 'code'],
  ['link_url_enc', 'link_url'],
  ['authorize_url_enc', 'authorize_url'],
] as const;
export type LinkSessionCiphertextColumn = (typeof LINK_SESSION_CIPHERTEXTS)[number][0];

/** A link session's ciphertexts, as key rotation reads and rewrites them. */
export interface LinkSessionCiphertexts {
  readonly id: LinkSessionId;
  readonly values: Readonly<Record<LinkSessionCiphertextColumn, Ciphertext | null>>;
}

const COLUMNS = LINK_SESSION_CIPHERTEXTS.map(([column]) => column);

/** Link sessions holding a ciphertext not under key `kid`, by id after `after`. */
export async function listLinkSessionsNotUnderKey(
  db: DbExecutor,
  kid: string,
  page: { readonly after?: LinkSessionId | undefined; readonly limit: number },
): Promise<LinkSessionCiphertexts[]> {
  const prefix = `v1.${kid}.`;
  let select = db
    .selectFrom('link_sessions')
    .select(['id', ...COLUMNS])
    .where((eb) =>
      eb.or(
        COLUMNS.map(
          (column): Expression<SqlBool> =>
            sql<SqlBool>`(${sql.ref(column)} is not null and not starts_with(${sql.ref(column)}, ${prefix}))`,
        ),
      ),
    );
  if (page.after !== undefined) select = select.where('id', '>', page.after);
  const rows = await select.orderBy('id').limit(page.limit).execute();
  return rows.map(({ id, ...values }) => ({ id, values }));
}

/**
 * Stores a link session's ciphertexts re-encrypted, only if none changed since they were read
 * (a callback may have stored a code meanwhile: then it is read again). Returns whether it wrote.
 */
export async function reencryptLinkSession(
  db: DbExecutor,
  read: LinkSessionCiphertexts,
  next: LinkSessionCiphertexts['values'],
): Promise<boolean> {
  let update = db
    .updateTable('link_sessions')
    .set({ ...next })
    .where('id', '=', read.id);
  for (const column of COLUMNS) {
    update = update.where(
      sql<SqlBool>`${sql.ref(column)} is not distinct from ${read.values[column]}`,
    );
  }
  const result = await update.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

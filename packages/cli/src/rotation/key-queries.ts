import { LINK_SESSION_CIPHERTEXTS, type DbExecutor } from '@tokenlane/db';
import { sql, type RawBuilder } from 'kysely';

// The db package lists and rewrites rows for rotation; these two read-only counts are what the
// CLI adds for progress and `keys status`. Candidates for @tokenlane/db's key-rotation module.

const ENC_COLUMNS = ['access_token_enc', 'refresh_token_enc', 'token_secret_enc'] as const;

/** Same predicate as db's `listRowsNotUnderKey`: any ciphertext not prefixed `v1.<kid>.`. */
function notUnderKey(kid: string): RawBuilder<boolean> {
  const prefix = `v1.${kid}.`;
  return sql<boolean>`(${sql.join(
    ENC_COLUMNS.map(
      (column) =>
        sql`(${sql.ref(column)} is not null and not starts_with(${sql.ref(column)}, ${prefix}))`,
    ),
    sql` or `,
  )})`;
}

/** How many connections still hold a ciphertext under another key than `kid`. */
export async function countRowsNotUnderKey(db: DbExecutor, kid: string): Promise<number> {
  const row = await db
    .selectFrom('connections')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(notUnderKey(kid))
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Ciphertexts (not rows) per key id, read from the `v1.<kid>.` header; nothing is decrypted. */
export interface KidCount {
  readonly kid: string;
  readonly ciphertexts: number;
}

export async function countCiphertextsByKid(db: DbExecutor): Promise<KidCount[]> {
  // Link sessions too: a key may be dropped only once neither table holds a ciphertext under it.
  const columns = [
    ...ENC_COLUMNS.map((column) => ['connections', column] as const),
    ...LINK_SESSION_CIPHERTEXTS.map(([column]) => ['link_sessions', column] as const),
  ];
  const kids = sql.join(
    columns.map(
      ([table, column]) =>
        sql`select split_part(${sql.ref(column)}, '.', 2) as kid from ${sql.table(table)} where ${sql.ref(column)} is not null`,
    ),
    sql` union all `,
  );
  const result = await sql<{ kid: string; ciphertexts: number | string }>`
    select kid, count(*) as ciphertexts from (${kids}) as enc group by kid order by kid`.execute(
    db,
  );
  return result.rows.map((row) => ({ kid: row.kid, ciphertexts: Number(row.ciphertexts) }));
}

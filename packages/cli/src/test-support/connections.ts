import { randomBytes } from 'node:crypto';
import { newConnectionId, type ConnectionId } from '@tokenlane/core';
import { insertConnection, type DbExecutor } from '@tokenlane/db';
import type { Ciphertext, KeyRing } from '@tokenlane/vault';

type Field = 'access_token' | 'refresh_token' | 'token_secret';

/** The plaintexts a seeded connection was given, to check they survive a rotation. */
export interface SeededConnection {
  readonly id: ConnectionId;
  readonly plain: Readonly<Partial<Record<Field, string>>>;
}

/**
 * Inserts `count` connections whose tokens are encrypted under `ring`'s primary key with the
 * lifecycle's associated data: OAuth 1.0a rows (token + secret), OAuth 2.0 rows with and
 * without a refresh token.
 */
export async function seedConnections(
  db: DbExecutor,
  ring: KeyRing,
  count: number,
  label = 'seed',
): Promise<SeededConnection[]> {
  const seeded: SeededConnection[] = [];
  for (let start = 0; start < count; start += 25) {
    const chunk = Array.from({ length: Math.min(25, count - start) }, (_, i) => start + i);
    seeded.push(...(await Promise.all(chunk.map((i) => seedOne(db, ring, i, label)))));
  }
  return seeded;
}

async function seedOne(
  db: DbExecutor,
  ring: KeyRing,
  index: number,
  label: string,
): Promise<SeededConnection> {
  const id = newConnectionId();
  const token = () => randomBytes(18).toString('base64url');
  const plain: Partial<Record<Field, string>> =
    index % 3 === 0
      ? { access_token: token(), token_secret: token() }
      : index % 3 === 1
        ? { access_token: token(), refresh_token: token() }
        : { access_token: token() };
  const seal = (field: Field): Ciphertext | null => {
    const value = plain[field];
    return value === undefined
      ? null
      : ring.encrypt(value, { table: 'connections', rowId: id, field });
  };
  await insertConnection(db, {
    id,
    userId: `${label}-user-${index}`,
    provider: index % 3 === 0 ? 'garmin' : 'fitbit',
    providerUserId: `${label}-pu-${index}`,
    status: 'active',
    accessTokenEnc: seal('access_token'),
    refreshTokenEnc: seal('refresh_token'),
    tokenSecretEnc: seal('token_secret'),
    scopes: ['activity'],
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return { id, plain };
}

/** Every seeded token decrypted from the table with `ring`, and the kids it is stored under. */
export async function readBack(
  db: DbExecutor,
  ring: KeyRing,
  ids: readonly ConnectionId[],
): Promise<{ kids: Set<string>; plain: Map<ConnectionId, Partial<Record<Field, string>>> }> {
  const rows = await db
    .selectFrom('connections')
    .select(['id', 'access_token_enc', 'refresh_token_enc', 'token_secret_enc'])
    .where('id', 'in', ids)
    .execute();
  const kids = new Set<string>();
  const plain = new Map<ConnectionId, Partial<Record<Field, string>>>();
  for (const row of rows) {
    const open: Partial<Record<Field, string>> = {};
    const columns: [Field, Ciphertext | null][] = [
      ['access_token', row.access_token_enc],
      ['refresh_token', row.refresh_token_enc],
      ['token_secret', row.token_secret_enc],
    ];
    for (const [field, value] of columns) {
      if (value === null) continue;
      kids.add(ring.keyIdOf(value));
      open[field] = ring.decrypt(value, { table: 'connections', rowId: row.id, field });
    }
    plain.set(row.id, open);
  }
  return { kids, plain };
}

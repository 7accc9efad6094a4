import { describe, expect, it } from 'vitest';
import { findConnection, insertConnection } from './connections.js';
import { storeRefreshedTokens } from './refresh-write.js';
import { iterateCiphertexts, listRowsNotUnderKey, reencryptConnection } from './key-rotation.js';
import {
  connectionInput,
  fakeCiphertext,
  migratedPerSuite,
  refreshedTokens,
  TEST_DIALECTS,
} from '@tokenlane/test-support';

describe.each(TEST_DIALECTS)('key rotation helpers on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'key_rotation');

  it('finds rows with any ciphertext under another key, page by page', async () => {
    const current = fakeCiphertext('k_2');
    const stale = [
      connectionInput({ accessTokenEnc: fakeCiphertext('k1'), refreshTokenEnc: current }),
      connectionInput({
        accessTokenEnc: current,
        refreshTokenEnc: null,
        tokenSecretEnc: fakeCiphertext('kX2'),
      }),
      connectionInput({
        accessTokenEnc: fakeCiphertext('k1'),
        refreshTokenEnc: fakeCiphertext('k1'),
      }),
    ];
    const fine = [
      connectionInput({ accessTokenEnc: current, refreshTokenEnc: current }),
      connectionInput({ accessTokenEnc: null, refreshTokenEnc: null }),
    ];
    for (const input of [...stale, ...fine]) await insertConnection(handle.db, input);

    const firstPage = await listRowsNotUnderKey(handle.db, 'k_2', { limit: 2 });
    expect(firstPage).toHaveLength(2);
    const seen = [];
    for await (const row of iterateCiphertexts(handle.db, 'k_2', 2)) seen.push(row.id);
    expect(seen).toEqual(stale.map((c) => c.id).sort());
  });

  it('re-encrypts without bumping the version, and yields to a refresh', async () => {
    const connection = await insertConnection(handle.db, connectionInput());
    const { id } = connection;
    const [row] = (await listRowsNotUnderKey(handle.db, 'k2', { limit: 1000 })).filter(
      (r) => r.id === id,
    );
    const moved = {
      accessTokenEnc: fakeCiphertext('k2'),
      refreshTokenEnc: fakeCiphertext('k2'),
      tokenSecretEnc: null,
    };
    expect(await reencryptConnection(handle.db, id, row!.tokenVersion, moved)).toBe(true);
    expect(await findConnection(handle.db, id)).toMatchObject({ ...moved, tokenVersion: 0 });

    await storeRefreshedTokens(handle.db, [
      {
        connection,
        tokens: refreshedTokens({ accessTokenEnc: fakeCiphertext('k2'), refreshTokenEnc: null }),
      },
    ]);
    expect(await reencryptConnection(handle.db, id, 0, moved)).toBe(false);
  });
});

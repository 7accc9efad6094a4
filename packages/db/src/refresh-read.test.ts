import { randomUUID } from 'node:crypto';
import type { ConnectionId } from '@tokenlane/core';
import { describe, expect, it } from 'vitest';
import { insertConnection, updateConnection } from './connections.js';
import { findRefreshCandidates } from './refresh-read.js';
import { connectionInput, migratedPerSuite, TEST_DIALECTS } from '@tokenlane/test-support';

describe.each(TEST_DIALECTS)('findRefreshCandidates on $kind', (dialect) => {
  const handle = migratedPerSuite(dialect, 'refresh_read');

  it('reads what a refresh needs, as the full row holds it, and nothing else', async () => {
    const connection = await insertConnection(handle.db, connectionInput());
    const failingSince = new Date('2030-01-02T03:04:05Z');
    await updateConnection(handle.db, connection.id, {
      refreshAttempts: 3,
      lastErrorCode: 'server_error',
      failingSince,
      migrationTo: 'google-health',
      metadata: { big: 'x'.repeat(100) },
    });
    const [candidate] = await findRefreshCandidates(handle.db, [connection.id]);
    expect(candidate).toEqual({
      id: connection.id,
      userId: connection.userId,
      provider: connection.provider,
      status: connection.status,
      refreshTokenEnc: connection.refreshTokenEnc,
      scopes: connection.scopes,
      expiresAt: connection.expiresAt,
      refreshTokenExpiresAt: connection.refreshTokenExpiresAt,
      refreshDueAt: connection.refreshDueAt,
      tokenVersion: connection.tokenVersion,
      refreshAttempts: 3,
      lastErrorCode: 'server_error',
      failingSince,
      migrationTo: 'google-health',
    });
  });

  it('answers several ids in one call; unknown and malformed ids are absent', async () => {
    const first = await insertConnection(handle.db, connectionInput());
    const second = await insertConnection(handle.db, connectionInput());
    const found = await findRefreshCandidates(handle.db, [
      second.id,
      randomUUID() as ConnectionId,
      'not-a-uuid' as ConnectionId,
      first.id,
    ]);
    expect(found.map((row) => row.id).sort()).toEqual([first.id, second.id].sort());
    expect(await findRefreshCandidates(handle.db, ['nope' as ConnectionId])).toEqual([]);
  });
});

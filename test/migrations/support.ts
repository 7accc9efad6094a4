import { newConnectionId, type ConnectionId, type EventType } from '@tokenlane/core';
import { insertConnection, type JsonObject } from '@tokenlane/db';
import { sealOAuth1Tokens, sealTokenSet } from '@tokenlane/lifecycle';
import { Secret } from '@tokenlane/vault';
import { expect, vi } from 'vitest';
import type { Stack } from '../support/stack.js';

/** The `Migration` view as the API answers it. */
export interface MigrationBody {
  id: string;
  from: string;
  to: string;
  mode: string;
  status: string;
  pausedReason: string | null;
  dryRun: boolean;
  counts: Record<
    'total' | 'pending' | 'migrated' | 'awaitingConsent' | 'reauthRequired' | 'failed' | 'skipped',
    number
  >;
  finishedAt: string | null;
}

/**
 * A connection linked before the migration, written the way the exchange writes one (tokens
 * sealed with the stack's key ring): the link flow itself has its own tests.
 */
export async function seedOAuth1Connection(
  stack: Stack,
  input: { userId: string; providerUserId: string; token: string; secret: string },
): Promise<ConnectionId> {
  const id = newConnectionId();
  await insertConnection(stack.db.db, {
    id,
    userId: input.userId,
    provider: 'garmin',
    status: 'active',
    providerUserId: input.providerUserId,
    ...sealOAuth1Tokens(stack.keyRing, id, {
      token: new Secret(input.token),
      tokenSecret: new Secret(input.secret),
    }),
  });
  return id;
}

/** An OAuth 2.0 connection at `provider` holding the given tokens (as after a link). */
export async function seedOAuth2Connection(
  stack: Stack,
  input: {
    provider: string;
    userId: string;
    providerUserId: string;
    accessToken: string;
    refreshToken: string;
    expiresInSeconds: number;
  },
): Promise<ConnectionId> {
  const id = newConnectionId();
  const expiresAt = new Date(Date.now() + input.expiresInSeconds * 1000);
  await insertConnection(stack.db.db, {
    id,
    userId: input.userId,
    provider: input.provider,
    status: 'active',
    providerUserId: input.providerUserId,
    ...sealTokenSet(stack.keyRing, id, {
      accessToken: new Secret(input.accessToken),
      refreshToken: new Secret(input.refreshToken),
      tokenType: 'Bearer',
      expiresAt,
      metadata: {},
    }),
    refreshDueAt: new Date(expiresAt.getTime() - 5_000),
  });
  return id;
}

/** Polls `GET /v1/migrations/:id` until `done(view)` holds. */
export async function waitForMigration(
  stack: Stack,
  id: string,
  done: (view: MigrationBody) => boolean,
  timeout: number,
): Promise<MigrationBody> {
  let last: MigrationBody | undefined;
  await vi.waitFor(
    async () => {
      const response = await stack.api('GET', `/v1/migrations/${id}`);
      expect(response.status).toBe(200);
      last = response.body as MigrationBody;
      expect(done(last)).toBe(true);
    },
    { timeout, interval: 250 },
  );
  return last!;
}

/** The counts add up: every connection has exactly one outcome. */
export function expectCountsAddUp(view: MigrationBody): void {
  const { total, ...rest } = view.counts;
  expect(Object.values(rest).reduce((sum, n) => sum + n, 0)).toBe(total);
}

/** Events of `type`, oldest first (optionally one connection's). */
export async function eventsOf(
  stack: Stack,
  type: EventType,
  connectionId?: ConnectionId,
): Promise<{ connection_id: string | null; data: JsonObject }[]> {
  let query = stack.db.db
    .selectFrom('events')
    .select(['connection_id', 'data'])
    .where('type', '=', type);
  if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
  return query.orderBy('seq').execute();
}

/** One migration item's outcome and detail, straight from the database. */
export async function itemOf(stack: Stack, migrationId: string, connectionId: ConnectionId) {
  return stack.db.db
    .selectFrom('migration_items')
    .select(['outcome', 'detail', 'exchange_started_at'])
    .where('migration_id', '=', migrationId)
    .where('connection_id', '=', connectionId)
    .executeTakeFirstOrThrow();
}

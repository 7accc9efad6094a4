import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { sql } from 'kysely';
import { toLinkSession, type LinkSession } from './link-session-rows.js';
import type { DbExecutor } from './schema.js';

/**
 * Serializes re-link creation for one connection until the transaction ends, so concurrent
 * callers (thirty token calls on a `reauth_required` connection) find each other's link
 * instead of making one each.
 */
export async function lockConnectionLinks(db: DbExecutor, id: ConnectionId): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`relink:${id}`}, 0))`.execute(db);
}

/**
 * The newest re-link of `connectionId` that can still be handed out: pending, never opened,
 * no callback yet, unexpired, for this provider and returnUrl, with its URL stored.
 */
export async function findLiveRelink(
  db: DbExecutor,
  connectionId: ConnectionId,
  provider: string,
  returnUrl: string | null,
  now: Date,
): Promise<LinkSession | undefined> {
  const row = await db
    .selectFrom('link_sessions')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('provider', '=', provider)
    .where(sql<boolean>`return_url is not distinct from ${returnUrl}`)
    .where('status', '=', 'pending')
    .where('callback_at', 'is', null)
    .where('opened_at', 'is', null)
    .where('link_url_enc', 'is not', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toLinkSession(row);
}

/**
 * Fails every link of `connectionId` not finished yet (`link_cancelled`) and wipes its
 * secrets: a revoked connection comes back only through a link made after the revocation.
 * Returns the cancelled sessions, for their `link.failed` events.
 */
export async function cancelConnectionLinks(
  db: DbExecutor,
  connectionId: ConnectionId,
  now: Date,
): Promise<LinkSession[]> {
  const rows = await db
    .updateTable('link_sessions')
    .set({
      status: 'failed',
      error_code: 'link_cancelled',
      completed_at: now,
      code_enc: null,
      code_verifier_enc: null,
      request_token_secret_enc: null,
      link_url_enc: null,
      authorize_url_enc: null,
    })
    .where('connection_id', '=', connectionId)
    .where('status', 'in', ['pending', 'exchanging'])
    .returningAll()
    .execute();
  return rows.map(toLinkSession);
}

/** Counts one wrong PIN for a link; returns the count so far. */
export async function countWrongPin(db: DbExecutor, id: LinkSessionId): Promise<number> {
  const row = await db
    .updateTable('link_sessions')
    .set({ pin_attempts: sql<number>`pin_attempts + 1` })
    .where('id', '=', id)
    .returning('pin_attempts')
    .executeTakeFirst();
  return row?.pin_attempts ?? 0;
}

/**
 * The browser-bound link `/connect/<id>` would open, read only: pending, never opened,
 * unexpired. The page shown on GET names its provider without spending the link.
 */
export async function findOpenableLink(
  db: DbExecutor,
  connectHash: string,
  now: Date,
): Promise<LinkSession | undefined> {
  const row = await db
    .selectFrom('link_sessions')
    .selectAll()
    .where('connect_hash', '=', connectHash)
    .where('opened_at', 'is', null)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && toLinkSession(row);
}

/** The link session of a `/connect/<id>` id, whatever its state (read only). */
export async function findLinkSessionByConnectHash(
  db: DbExecutor,
  connectHash: string,
): Promise<LinkSession | undefined> {
  const row = await db
    .selectFrom('link_sessions')
    .selectAll()
    .where('connect_hash', '=', connectHash)
    .executeTakeFirst();
  return row && toLinkSession(row);
}

/**
 * Opens a browser-bound link once: the first request for `/connect/<id>` of a pending,
 * unexpired session records the hash of the nonce it gives its browser. A second opening,
 * an expired or finished link gets undefined and changes nothing.
 */
export async function openConnectLink(
  db: DbExecutor,
  connectHash: string,
  nonceHash: string,
  now: Date,
): Promise<LinkSession | undefined> {
  const row = await db
    .updateTable('link_sessions')
    .set({ opened_at: now, browser_nonce_hash: nonceHash })
    .where('connect_hash', '=', connectHash)
    .where('opened_at', 'is', null)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
  return row && toLinkSession(row);
}

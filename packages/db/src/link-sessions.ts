import type { Ciphertext } from '@tokenlane/vault';
import { isUuid } from '@tokenlane/core';
import type { LinkSessionId } from '@tokenlane/core';
import {
  insertColumns,
  linkPatchColumns,
  toLinkSession,
  type LinkSession,
  type LinkSessionPatch,
  type NewLinkSession,
} from './link-session-rows.js';
import type { DbExecutor } from './schema.js';

/** Inserts a pending link session. */
export async function insertLinkSession(
  db: DbExecutor,
  input: NewLinkSession,
): Promise<LinkSession> {
  const row = await db
    .insertInto('link_sessions')
    .values(insertColumns(input))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toLinkSession(row);
}

/** The link session, or undefined (also for a string that is not a tokenlane id). */
export async function findLinkSession(
  db: DbExecutor,
  id: LinkSessionId,
): Promise<LinkSession | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db
    .selectFrom('link_sessions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toLinkSession(row);
}

/** The link session a state was issued for (read only; consuming it is {@link consumeState}). */
export async function findLinkSessionByStateHash(
  db: DbExecutor,
  stateHash: string,
): Promise<LinkSession | undefined> {
  const row = await db
    .selectFrom('link_sessions')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  return row && toLinkSession(row);
}

/** The link session of an OAuth 1.0a request token (read only). */
export async function findLinkSessionByRequestTokenHash(
  db: DbExecutor,
  requestTokenHash: string,
): Promise<LinkSession | undefined> {
  const row = await db
    .selectFrom('link_sessions')
    .selectAll()
    .where('request_token_hash', '=', requestTokenHash)
    .executeTakeFirst();
  return row && toLinkSession(row);
}

/**
 * Consumes a state in one atomic UPDATE: only the first callback with an unexpired,
 * pending state for this provider gets the session. A replayed, expired, unknown or
 * cross-provider state gets undefined and changes nothing (docs/architecture.md, rule 3).
 */
export function consumeState(
  db: DbExecutor,
  stateHash: string,
  provider: string,
  now: Date,
  nonceHash?: string,
): Promise<LinkSession | undefined> {
  return consume(db, now, 'state_hash', stateHash, nonceHash, provider);
}

/** The OAuth 1.0a counterpart of {@link consumeState}, keyed by the request token's hash. */
export function consumeRequestToken(
  db: DbExecutor,
  requestTokenHash: string,
  now: Date,
  nonceHash?: string,
): Promise<LinkSession | undefined> {
  return consume(db, now, 'request_token_hash', requestTokenHash, nonceHash);
}

/**
 * Marks the callback as seen on the one pending, unexpired session matching `column`. A
 * browser-bound session (opened through `/connect/<id>`) also needs the hash of the nonce
 * its browser was given: a callback from another browser matches nothing.
 * @see RFC 9700 §4.7.1
 */
async function consume(
  db: DbExecutor,
  now: Date,
  column: 'state_hash' | 'request_token_hash',
  value: string,
  nonceHash: string | undefined,
  provider?: string,
): Promise<LinkSession | undefined> {
  let update = db
    .updateTable('link_sessions')
    .set({ callback_at: now })
    .where(column, '=', value)
    .where('callback_at', 'is', null)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .where((eb) =>
      eb.or([eb('connect_hash', 'is', null), eb('browser_nonce_hash', '=', nonceHash ?? '')]),
    );
  if (provider !== undefined) update = update.where('provider', '=', provider);
  const row = await update.returningAll().executeTakeFirst();
  return row && toLinkSession(row);
}

/** Applies `patch`; undefined when the session does not exist. */
export async function updateLinkSession(
  db: DbExecutor,
  id: LinkSessionId,
  patch: LinkSessionPatch,
): Promise<LinkSession | undefined> {
  if (!isUuid(id)) return undefined;
  const columns = linkPatchColumns(patch);
  // An empty SET is a syntax error; an empty patch is a read.
  if (Object.keys(columns).length === 0) return findLinkSession(db, id);
  const row = await db
    .updateTable('link_sessions')
    .set(columns)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toLinkSession(row);
}

/**
 * Claims a PIN link for one exchange: `pending` → `exchanging` with the PIN sealed, atomically,
 * so two submissions at once exchange once. False when the link is not pending.
 */
export async function claimPinSession(
  db: DbExecutor,
  id: LinkSessionId,
  pinEnc: Ciphertext,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const claimed = await db
    .updateTable('link_sessions')
    .set({ status: 'exchanging', code_enc: pinEnc })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return claimed.numUpdatedRows > 0n;
}

/** Deletes sessions that expired before `now`; returns how many. */
export async function deleteExpiredLinkSessions(db: DbExecutor, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('link_sessions')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

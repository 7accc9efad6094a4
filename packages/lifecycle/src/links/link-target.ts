import type { ConnectionId, LinkFailureCode } from '@tokenlane/core';
import {
  findByIdentity,
  findConnectionForUpdate,
  findPendingIdentity,
  type Connection,
  type DbExecutor,
  type JsonObject,
  type LinkSession,
} from '@tokenlane/db';

/** Where a completed link lands: a new connection, an existing one, or nowhere (refused). */
export type LinkTarget =
  | { readonly kind: 'new' }
  | { readonly kind: 'existing'; readonly id: ConnectionId }
  | { readonly kind: 'refused'; readonly code: LinkFailureCode };

/**
 * The connection a link lands on, decided under its row lock: the re-link target, else the
 * same (user, provider, account), else the user's connection to the provider whose identity
 * is still pending. A re-link completes only for the account the connection already holds
 * (`account_mismatch` otherwise: whoever holds a re-link URL must not attach their own
 * account to someone else's connection); a pending identity was asked about first
 * (`resolveBeforeLink`). A connection revoked after the link was made is not brought back by
 * it (`link_cancelled`).
 * @see RFC 9700 §4.7
 */
export async function resolveLinkTarget(
  trx: DbExecutor,
  session: LinkSession,
  providerUserId: string | null,
  /** The new grant's provider metadata: a successor may name the predecessor's account. */
  metadata: JsonObject = {},
): Promise<LinkTarget> {
  if (session.connectionId !== null) {
    const target = await findConnectionForUpdate(trx, session.connectionId);
    if (target !== undefined) {
      if (revokedSinceLink(target, session)) return { kind: 'refused', code: 'link_cancelled' };
      if (!sameAccount(target, providerUserId, metadata)) {
        return { kind: 'refused', code: 'account_mismatch' };
      }
      return { kind: 'existing', id: target.id };
    }
  }
  const known =
    (await findByIdentity(trx, session.userId, session.provider, providerUserId)) ??
    // The user's connection whose identity is still pending (its own token could not tell just
    // now): it takes this link's identity rather than stand beside a second connection that
    // may be the same account.
    (providerUserId === null
      ? undefined
      : await findPendingIdentity(trx, session.userId, session.provider));
  if (known === undefined) return { kind: 'new' };
  const locked = await findConnectionForUpdate(trx, known.id);
  if (locked !== undefined && revokedSinceLink(locked, session)) {
    return { kind: 'refused', code: 'link_cancelled' };
  }
  return { kind: 'existing', id: known.id };
}

/**
 * The provider account that came back is the connection's. A connection whose provider never
 * named the account (`providerUserId` null) cannot be checked and accepts any; once it is
 * known, an answer naming another account, or none, is refused. A link to the connection's
 * successor may name the account by the predecessor's id instead (`legacyUserId`: Google
 * Health's answer carries the Fitbit user id; Garmin keeps its user id across OAuth versions).
 */
export function sameAccount(
  target: Connection,
  providerUserId: string | null,
  metadata: JsonObject = {},
): boolean {
  if (target.providerUserId === null || target.providerUserId === providerUserId) return true;
  const legacy = metadata['legacyUserId'];
  return typeof legacy === 'string' && legacy === target.providerUserId;
}

function revokedSinceLink(target: Connection, session: LinkSession): boolean {
  return (
    target.status === 'revoked' &&
    target.revokedAt !== null &&
    target.revokedAt.getTime() >= session.createdAt.getTime()
  );
}

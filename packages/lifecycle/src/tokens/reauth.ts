import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { jobIdFor } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { timingSafeEqualString } from '@tokenlane/vault';
import { LifecycleError } from '../errors.js';
import { openTokens } from '../sealing.js';
import { refreshConnection, type RefreshOutcome } from './refresh.js';
import { requireReauth } from './relink.js';

/** What a `reauth` job did (ids and codes only). */
export type ReauthOutcome =
  RefreshOutcome | { readonly status: 'stale_report' } | { readonly status: 'not_found' };

/**
 * `POST /v1/connections/:id/unauthorized`: the backend saw a 401 with this connection's token.
 * A report naming a token that is no longer current is stale and does nothing; otherwise a
 * `reauth` job for the current token version is added (its id dedupes repeated reports).
 */
export async function reportUnauthorized(
  rt: Runtime,
  id: ConnectionId,
  reportedAccessToken?: string,
): Promise<{ status: 'accepted' | 'stale_report'; tokenVersion: number }> {
  const connection = await findConnection(rt.db.db, id);
  if (connection === undefined)
    throw new LifecycleError('connection_not_found', 'connection not found');
  if (reportedAccessToken !== undefined) {
    const current = openTokens(rt.keyRing, connection).accessToken;
    if (current === undefined || !timingSafeEqualString(current.reveal(), reportedAccessToken)) {
      return { status: 'stale_report', tokenVersion: connection.tokenVersion };
    }
  }
  await rt.queues.enqueue('reauth', { connectionId: id, tokenVersion: connection.tokenVersion });
  return { status: 'accepted', tokenVersion: connection.tokenVersion };
}

/**
 * The `reauth` job: forces one refresh of the reported token. When the provider cannot
 * refresh (OAuth 1.0a, no refresh token), or the report is about a token that itself came
 * from a refresh forced by an earlier 401 (the 401 survived a fresh refresh), the connection
 * moves to `reauth_required` with a re-link URL in its event (DESIGN rule 5).
 */
export async function reauthConnection(
  rt: Runtime,
  id: ConnectionId,
  tokenVersion: number,
): Promise<ReauthOutcome> {
  const connection = await findConnection(rt.db.db, id);
  if (connection === undefined) return { status: 'not_found' };
  if (connection.tokenVersion !== tokenVersion) return { status: 'stale_report' };
  if (connection.status === 'reauth_required' || connection.status === 'revoked') {
    return { status: 'skipped', reason: 'not_refreshable' };
  }
  if (await survivedForcedRefresh(rt, id, tokenVersion)) {
    return requireReauth(rt, connection, 'unauthorized_after_refresh');
  }
  const outcome = await refreshConnection(rt, id, { force: true, expectedVersion: tokenVersion });
  if (outcome.status === 'skipped' && outcome.reason === 'not_refreshable') {
    return requireReauth(rt, connection, 'unauthorized');
  }
  return outcome;
}

/** Did the reauth job of the previous version refresh into this very token? */
async function survivedForcedRefresh(rt: Runtime, id: ConnectionId, version: number) {
  if (version === 0) return false;
  const previous = await rt.queues
    .queue('reauth')
    .getJob(jobIdFor('reauth', { connectionId: id, tokenVersion: version - 1 }));
  const result = previous?.returnvalue as RefreshOutcome | undefined;
  return result?.status === 'refreshed' && result.tokenVersion === version;
}

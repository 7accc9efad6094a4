import type { ReauthReason } from '@tokenlane/core';
import {
  findConnectionForUpdate,
  transitionConnection,
  type Connection,
  type JsonObject,
} from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { startLink, type LinkStarted } from '../links/start-link.js';

/**
 * A fresh link that re-authorizes `connection` in place (same id once completed), made on
 * demand while the user is present (the token API's 409): a link URL is a capability, so
 * none is ever written into an event.
 */
export function startRelink(
  ctx: LifecycleContext,
  connection: Connection,
  trigger?: 'operator',
): Promise<LinkStarted> {
  return startLink(ctx, {
    userId: connection.userId,
    provider: connection.provider,
    connectionId: connection.id,
    scopes: connection.scopes.length > 0 ? connection.scopes : undefined,
    trigger,
  });
}

/** What {@link requireReauth} did. */
export type ReauthRequired =
  | { readonly status: 'reauth_required'; readonly code: ReauthReason }
  | { readonly status: 'lost_race' };

/**
 * Moves the connection to `reauth_required` with `code` (the event names the reason and
 * `extra`, never a URL). With `expectedVersion`, a connection whose tokens moved meanwhile
 * (someone else refreshed) is left alone under its row lock: that is a lost race, not a
 * refusal (docs/architecture.md, rule 4).
 */
export async function requireReauth(
  ctx: LifecycleContext,
  connection: Connection,
  code: ReauthReason,
  expectedVersion?: number,
  extra: JsonObject = {},
): Promise<ReauthRequired> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await findConnectionForUpdate(trx, connection.id);
    if (current === undefined || current.status === 'revoked')
      return { status: 'lost_race' } as const;
    if (expectedVersion !== undefined && current.tokenVersion !== expectedVersion) {
      return { status: 'lost_race' } as const;
    }
    await transitionConnection(
      trx,
      connection.id,
      'reauth_required',
      { refreshDueAt: null, lastErrorCode: code, lastErrorAt: new Date() },
      { type: 'connection.reauth_required', data: { code, ...extra } },
    );
    return { status: 'reauth_required', code } as const;
  });
}

import { findConnectionForUpdate, transitionConnection, type Connection } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { startLink, type LinkStarted } from '../links/start-link.js';

/**
 * How long a re-link invitation stays usable. It travels in a `connection.reauth_required`
 * event that the backend may forward to its user hours later, so it outlives an ordinary
 * link; its state is still single use and bound to the connection.
 */
export const RELINK_TTL_SECONDS = 7 * 86_400;

/** A fresh link that re-authorizes `connection` in place (same id once completed). */
export function startRelink(ctx: LifecycleContext, connection: Connection): Promise<LinkStarted> {
  return startLink(ctx, {
    userId: connection.userId,
    provider: connection.provider,
    connectionId: connection.id,
    scopes: connection.scopes.length > 0 ? connection.scopes : undefined,
    ttlSeconds: RELINK_TTL_SECONDS,
  });
}

/** Event data announcing a re-link: where to send the user, and until when. */
export function relinkEventData(link: LinkStarted): {
  linkId: string;
  linkWebUrl: string;
  linkExpiresAt: string;
} {
  return {
    linkId: link.linkId,
    linkWebUrl: link.linkWebUrl,
    linkExpiresAt: link.expiresAt.toISOString(),
  };
}

/**
 * Moves the connection to `reauth_required`, announcing a fresh re-link URL in the event.
 * With `expectedVersion`, a connection whose tokens moved meanwhile (someone else refreshed)
 * is left alone: that is a lost race, not a refusal (DESIGN rule 4).
 */
export async function requireReauth(
  ctx: LifecycleContext,
  connection: Connection,
  code: string,
  expectedVersion?: number,
): Promise<{ status: 'reauth_required'; code: string } | { status: 'lost_race' }> {
  const link = await startRelink(ctx, connection);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await findConnectionForUpdate(trx, connection.id);
    if (expectedVersion !== undefined && current?.tokenVersion !== expectedVersion) {
      return { status: 'lost_race' } as const;
    }
    await transitionConnection(
      trx,
      connection.id,
      'reauth_required',
      { refreshDueAt: null, lastErrorCode: code, lastErrorAt: new Date() },
      { type: 'connection.reauth_required', data: { code, ...relinkEventData(link) } },
    );
    return { status: 'reauth_required', code } as const;
  });
}

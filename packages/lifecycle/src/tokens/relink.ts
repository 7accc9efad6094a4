import type { ReauthReason } from '@tokenlane/core';
import {
  findConnectionForUpdate,
  transitionConnection,
  type Connection,
  type JsonObject,
} from '@tokenlane/db';
import { isRetired } from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { startLink, type LinkStarted } from '../links/start-link.js';

/**
 * A fresh link that re-authorizes `connection` in place (same id once completed), made on
 * demand while the user is present (the token API's 409): a link URL is a capability, so
 * none is ever written into an event.
 */
export function startRelink(ctx: LifecycleContext, connection: Connection): Promise<LinkStarted> {
  const provider = relinkProvider(ctx, connection);
  const scopes = provider === connection.provider ? connection.scopes : [];
  return startLink(ctx, {
    userId: connection.userId,
    provider,
    connectionId: connection.id,
    scopes: scopes.length > 0 ? scopes : undefined,
  });
}

/** Reasons that send a re-link to the provider's successor rather than back to it. */
const TO_SUCCESSOR: readonly string[] = [
  'provider_retired',
  'provider_migration',
] satisfies ReauthReason[];

/**
 * Where a connection's user re-links: its provider's successor once the provider is retired,
 * the connection was refused for that reason, or a migration waits for it; else its own.
 */
export function relinkProvider(ctx: LifecycleContext, connection: Connection): string {
  const provider = ctx.providers.get(connection.provider);
  const successor = provider?.successor;
  if (provider === undefined || successor === undefined) return connection.provider;
  const moving =
    isRetired(provider) ||
    TO_SUCCESSOR.includes(connection.lastErrorCode ?? '') ||
    connection.migrationTo === successor;
  return moving ? successor : connection.provider;
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

import type { ReauthReason } from '@tokenlane/core';
import {
  findConnectionForUpdate,
  findLiveRelink,
  lockConnectionLinks,
  transitionConnection,
  type Connection,
  type DbExecutor,
  type JsonObject,
} from '@tokenlane/db';
import { isRetired } from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { LifecycleError } from '../errors.js';
import { isRelinkProvider } from '../links/relink-provider.js';
import { checkReturnUrl, prepareLink, writeLink, type LinkStarted } from '../links/start-link.js';
import { openLinkSecret } from '../sealing.js';
import { forgetProxyCredential } from './credential-cache.js';

/** What a re-link may choose: the provider (own or successor) and where the user lands. */
export interface RelinkOptions {
  readonly provider?: string | undefined;
  readonly returnUrl?: string | undefined;
  /** An operator asked (the console): recorded on `link.created`. */
  readonly trigger?: 'operator' | undefined;
}

/**
 * A link that re-authorizes `connection` in place (same id once completed), asked for while
 * the user is present (`POST /v1/connections/:id/relink`, the token API's 409): a link URL is
 * a capability, so none is ever written into an event. A live link for the same connection,
 * provider and returnUrl (never opened, unexpired) is handed out again instead of a new one,
 * so repeated calls leave one live link; callers are serialized per connection.
 * @see RFC 9700 §4.7
 */
export async function startRelink(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'config'>,
  connection: Connection,
  options: RelinkOptions = {},
): Promise<LinkStarted> {
  // By default where the user must go: the successor once the provider retired or a
  // migration waits, else the connection's own provider.
  const provider = options.provider ?? relinkProvider(ctx, connection);
  if (!isRelinkProvider(ctx.providers, connection, provider)) {
    throw new LifecycleError(
      'connection_mismatch',
      "provider must be the connection's own provider or its successor",
    );
  }
  const returnUrl = checkReturnUrl(ctx.config.allowedReturnUrls, options.returnUrl);
  const liveLink = async (db: DbExecutor): Promise<LinkStarted | undefined> => {
    const live = await findLiveRelink(db, connection.id, provider, returnUrl, new Date());
    if (live?.linkUrlEnc == null) return undefined;
    const url = openLinkSecret(ctx.keyRing, live.id, 'link_url', live.linkUrlEnc);
    return {
      linkId: live.id,
      linkWebUrl: url.reveal(),
      method: live.method,
      expiresAt: live.expiresAt,
    };
  };
  const existing = await liveLink(ctx.db);
  if (existing !== undefined) return existing;
  // Prepared outside any transaction: an OAuth 1.0a link fetches its request token from the
  // provider here, and a provider call must never hold a lock or a pooled connection open.
  const prepared = await prepareLink(ctx, ctx.db, {
    userId: connection.userId,
    provider,
    connectionId: connection.id,
    returnUrl: returnUrl ?? undefined,
    trigger: options.trigger,
    scopes:
      provider === connection.provider && connection.scopes.length > 0
        ? connection.scopes
        : undefined,
  });
  return ctx.db.transaction().execute(async (trx) => {
    await lockConnectionLinks(trx, connection.id);
    // A concurrent caller may have stored its link meanwhile: hand that one out, so one live
    // link remains (the request token prepared here is simply never used).
    return (await liveLink(trx)) ?? writeLink(trx, prepared);
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
export function relinkProvider(
  ctx: Pick<LifecycleContext, 'providers'>,
  connection: Connection,
): string {
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
  ctx: Pick<LifecycleContext, 'db'>,
  connection: Pick<Connection, 'id'>,
  code: ReauthReason,
  expectedVersion?: number,
  extra: JsonObject = {},
): Promise<ReauthRequired> {
  const outcome = await ctx.db.transaction().execute(async (trx) => {
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
  // After the commit: a proxied call in this process reads the new status from now on.
  if (outcome.status === 'reauth_required') forgetProxyCredential(ctx.db, connection.id);
  return outcome;
}

import type { ConnectionId } from '@tokenlane/core';
import {
  findByIdentity,
  findConnectionForUpdate,
  findOpenMigrationItem,
  type ConnectionPatch,
  type DbExecutor,
  type LinkSession,
  type TransitionEvent,
} from '@tokenlane/db';
import { revokeOAuth1Tokens, revokeTokens } from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { recordMigrationOutcome } from '../migration-outcomes/resolve.js';
import { openTokens } from '../sealing.js';

/** A link that lands on a connection of the link's predecessor provider: the connection moves. */
export interface LinkMove {
  readonly patch: ConnectionPatch;
  readonly event: TransitionEvent;
  /** Best effort, after commit: revokes the old grant where the old API still answers. */
  readonly revokeOld: () => Promise<void>;
}

/**
 * When a link to provider `to` completes on a connection still at `to`'s predecessor (a
 * reconsent migration, or a re-link after `provider_retired`), the same connection id moves
 * to `to`: its pending migration request is cleared, `connection.migrated` replaces
 * `connection.created`, and the migration item (if any) is `migrated`, in `trx`. Undefined
 * when the link stays at the connection's own provider.
 */
export async function planLinkMove(
  ctx: Pick<LifecycleContext, 'keyRing' | 'providers' | 'metrics' | 'logger'>,
  trx: DbExecutor,
  connectionId: ConnectionId,
  session: LinkSession,
): Promise<LinkMove | undefined> {
  const current = await findConnectionForUpdate(trx, connectionId);
  if (current === undefined || current.provider === session.provider) return undefined;
  const old = ctx.providers.get(current.provider);
  const item = await findOpenMigrationItem(trx, connectionId);
  if (item !== undefined) {
    await recordMigrationOutcome(trx, ctx.metrics, item.migrationId, connectionId, 'migrated');
  }
  // Decrypted now, before the row's ciphertexts are replaced; held in memory until revoked.
  const tokens = old?.configured === true ? openTokens(ctx.keyRing, current) : undefined;
  const revokeOld = async () => {
    if (old?.configured !== true || tokens === undefined) return;
    try {
      const result =
        old.kind === 'oauth1'
          ? tokens.accessToken !== undefined && tokens.tokenSecret !== undefined
            ? await revokeOAuth1Tokens(old, {
                token: tokens.accessToken,
                tokenSecret: tokens.tokenSecret,
              })
            : undefined
          : await revokeTokens(old, {
              ...(tokens.accessToken === undefined ? {} : { accessToken: tokens.accessToken }),
              ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
              ...(current.providerUserId === null
                ? {}
                : { providerUserId: current.providerUserId }),
            });
      ctx.logger.info(
        { connectionId, provider: old.id, confirmed: result?.confirmed ?? false },
        'old grant revoked after a move to the successor',
      );
    } catch (error) {
      // A retired API (410) cannot revoke any more: the grant ends with it.
      const code = (error as { code?: unknown }).code;
      ctx.logger.info(
        { connectionId, provider: old.id, code: typeof code === 'string' ? code : 'unknown' },
        'old grant not revoked after a move to the successor',
      );
    }
  };
  return {
    patch: { provider: session.provider, migrationTo: null, migrationRequestedAt: null },
    event: {
      type: 'connection.migrated',
      linkSessionId: session.id,
      data: {
        fromProvider: current.provider,
        toProvider: session.provider,
        mode: 'reconsent',
        ...(item === undefined ? {} : { migrationId: item.migrationId }),
      },
    },
    revokeOld,
  };
}

/**
 * A link to a successor made without `connectionId` (the backend did not say which
 * connection): the user's connection at a predecessor of the provider whose provider user id
 * is the `legacyUserId` the successor reported (Google Health's identity names the Fitbit
 * user id), so the new link lands on the old connection.
 */
export async function predecessorConnection(
  ctx: Pick<LifecycleContext, 'providers'>,
  trx: DbExecutor,
  session: LinkSession,
  metadata: Readonly<Record<string, unknown>>,
): Promise<ConnectionId | undefined> {
  const legacyUserId = metadata.legacyUserId;
  if (typeof legacyUserId !== 'string' || legacyUserId === '') return undefined;
  for (const provider of ctx.providers.list()) {
    if (provider.successor !== session.provider) continue;
    const found = await findByIdentity(trx, session.userId, provider.id, legacyUserId);
    if (found !== undefined && found.status !== 'revoked') return found.id;
  }
  return undefined;
}

import { isRefreshable, refreshDueAt } from '@tokenlane/core';
import {
  findConnectionForUpdate,
  markExchangeStarted,
  transitionConnection,
  type Connection,
  type ProviderMigration,
} from '@tokenlane/db';
import {
  exchangeOAuth1Token,
  ProviderError,
  tokenExchangeRefusal,
  type TokenSet,
} from '@tokenlane/providers';
import pRetry from 'p-retry';
import type { LifecycleContext } from '../context.js';
import { takeProviderSlot } from '../providers/rate-limit.js';
import { openToken, sealTokenSet } from '../sealing.js';
import { requireReauth } from '../tokens/relink.js';
import { recordMigrationOutcome } from './resolve.js';
import { decide, type MigrateOptions, type MigrateOutcome } from './outcome.js';

/** About 30 s of attempts: the new tokens exist only in memory once the provider answered. */
const STORE_RETRY = { retries: 8, minTimeout: 250, maxTimeout: 5_000, factor: 2 } as const;

/**
 * `token_exchange` for one connection: the signed exchange at `from`, then, in one
 * transaction, the same connection id moved to `to` with the new tokens encrypted and a
 * refresh scheduled, the OAuth 1.0a token and secret wiped, `connection.migrated`, and the
 * item `migrated`. The provider user id stays, so the provider's pushes still match.
 * A refusal saying the grant is gone is `reauth_required` (`provider_migration`, re-link at
 * `to`); transient failures are thrown for the job's backoff until its last attempt.
 */
export async function exchangeConnectionTokens(
  ctx: LifecycleContext,
  migration: ProviderMigration,
  connection: Connection,
  options: MigrateOptions & { readonly interrupted: boolean },
): Promise<MigrateOutcome> {
  const from = ctx.providers.require(migration.from);
  const to = ctx.providers.require(migration.to);
  if (from.kind !== 'oauth1' || to.kind !== 'oauth2') {
    return decide(ctx, migration, connection.id, 'failed', 'unsupported');
  }
  const token = openToken(ctx.keyRing, connection, 'access_token');
  const tokenSecret = openToken(ctx.keyRing, connection, 'token_secret');
  if (token === undefined || tokenSecret === undefined) {
    return decide(ctx, migration, connection.id, 'skipped', 'no_credentials');
  }
  const limit = from.rateLimit ?? to.rateLimit;
  if (limit !== undefined) {
    const wait = await takeProviderSlot(ctx.redis, ctx.config.queuePrefix, from.id, limit);
    if (wait > 0) return { status: 'deferred', retryInMs: wait };
  }
  await markExchangeStarted(ctx.db, migration.id, connection.id);
  let tokens: TokenSet;
  try {
    tokens = await exchangeOAuth1Token(from, to, { token, tokenSecret });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return refused(ctx, migration, connection, error, options);
  }
  await pRetry(() => store(ctx, migration, connection, tokens), STORE_RETRY);
  return { status: 'decided', outcome: 'migrated' };
}

async function refused(
  ctx: LifecycleContext,
  migration: ProviderMigration,
  connection: Connection,
  error: ProviderError,
  options: MigrateOptions & { readonly interrupted: boolean },
): Promise<MigrateOutcome> {
  switch (tokenExchangeRefusal(error.code)) {
    case 'grant_gone': {
      // After an attempt cut off mid-flight, the provider most likely exchanged the token
      // then and the answer was lost: reported as such, not as a plain refusal.
      const detail = options.interrupted ? 'exchange_interrupted' : error.code;
      await requireReauth(ctx, connection, 'provider_migration', connection.tokenVersion, {
        successor: migration.to,
        migrationId: migration.id,
        detail,
      });
      return decide(ctx, migration, connection.id, 'reauth_required', detail);
    }
    case 'transient':
    case 'credentials':
      if (!options.finalAttempt) throw error;
      return decide(ctx, migration, connection.id, 'failed', error.code);
    case 'refused':
      return decide(ctx, migration, connection.id, 'failed', error.code);
  }
}

async function store(
  ctx: LifecycleContext,
  migration: ProviderMigration,
  connection: Connection,
  tokens: TokenSet,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const current = await findConnectionForUpdate(trx, connection.id);
    // Revoked or re-linked while the exchange ran: those tokens are not ours to keep.
    if (
      current === undefined ||
      current.provider !== migration.from ||
      current.tokenVersion !== connection.tokenVersion ||
      !isRefreshable(current.status)
    ) {
      await recordMigrationOutcome(
        trx,
        ctx.metrics,
        migration.id,
        connection.id,
        'skipped',
        'changed_meanwhile',
      );
      return;
    }
    const now = new Date();
    await transitionConnection(
      trx,
      connection.id,
      'active',
      {
        provider: migration.to,
        // Seals the OAuth 2.0 pair and sets token_secret_enc to null: the OAuth 1.0a secret is gone.
        ...sealTokenSet(ctx.keyRing, connection.id, tokens),
        refreshDueAt:
          tokens.refreshToken === undefined ? null : refreshDueAt(now, tokens.expiresAt),
        refreshAttempts: 0,
        lastErrorCode: null,
        lastErrorAt: null,
        failingSince: null,
        migrationTo: null,
        migrationRequestedAt: null,
      },
      {
        type: 'connection.migrated',
        data: {
          fromProvider: migration.from,
          toProvider: migration.to,
          mode: migration.mode,
          migrationId: migration.id,
        },
      },
    );
    await recordMigrationOutcome(trx, ctx.metrics, migration.id, connection.id, 'migrated');
  });
}

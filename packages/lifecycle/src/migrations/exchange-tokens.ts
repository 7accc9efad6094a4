import { isRefreshable, refreshDueAt } from '@tokenlane/core';
import {
  findConnectionForUpdate,
  markExchangeInFlight,
  migrationCounts,
  transitionConnection,
  type Connection,
  type ProviderMigration,
} from '@tokenlane/db';
import {
  checkOAuth1Grant,
  exchangeOAuth1Token,
  ProviderError,
  type OAuth1Provider,
  tokenExchangeRefusal,
  type TokenSet,
} from '@tokenlane/providers';
import pRetry from 'p-retry';
import type { LifecycleContext } from '../context.js';
import { takeBudget, windowsOf } from '../providers/budget.js';
import { openToken, sealTokenSet } from '../sealing.js';
import type { Secret } from '@tokenlane/vault';
import { requireReauth } from '../tokens/relink.js';
import { pauseRun } from '../migration-outcomes/pause.js';
import { lockMigration, recordMigrationOutcome } from '../migration-outcomes/resolve.js';
import { decide, type MigrateOptions, type MigrateOutcome } from './outcome.js';

type OAuth1Tokens = { readonly token: Secret; readonly tokenSecret: Secret };

/** About 30 s of attempts: the new tokens exist only in memory once the provider answered. */
const STORE_RETRY = { retries: 8, minTimeout: 250, maxTimeout: 5_000, factor: 2 } as const;

/**
 * `token_exchange` for one connection: the signed exchange at `from`, then, in one
 * transaction, the same connection id moved to `to` with the new tokens encrypted and a
 * refresh scheduled, the OAuth 1.0a token and secret wiped, `connection.migrated`, and the
 * item `migrated`. The provider user id stays, so the provider's pushes still match.
 * A refusal is blamed on the user (`reauth_required`, `provider_migration`, re-link at `to`)
 * only once our own credentials demonstrably work (`refusedGrant`); a refusal of ours pauses
 * the run and leaves the connection alone. Transient failures are thrown for the job's
 * backoff until its last attempt. An exchange cut off mid-flight (a killed worker) is simply
 * sent again: only a provider that then refuses the token as spent ends it
 * (`exchange_interrupted`).
 */
export async function exchangeConnectionTokens(
  ctx: Pick<
    LifecycleContext,
    'db' | 'keyRing' | 'providers' | 'redis' | 'metrics' | 'logger' | 'config'
  >,
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
  // The exchange stands in for a refresh in the provider's one budget: `from`'s windows, or
  // the successor's when `from` declares none (both are the same provider's API).
  const budgeted = windowsOf(from).length > 0 ? from : to;
  const wait = await takeBudget(
    ctx.redis,
    ctx.config.queuePrefix,
    budgeted,
    connection.id,
    'refresh',
    ctx.config.refreshReserve,
  );
  if (wait > 0) return { status: 'deferred', retryInMs: wait };
  await markExchangeInFlight(ctx.db, migration.id, connection.id, true);
  let tokens: TokenSet;
  try {
    tokens = await exchangeOAuth1Token(from, to, { token, tokenSecret });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    // The provider answered: nothing is in flight any more.
    if (error.status !== undefined) {
      await markExchangeInFlight(ctx.db, migration.id, connection.id, false);
    }
    const attempt = { migration, connection, from, tokens: { token, tokenSecret }, ...options };
    return refused(ctx, attempt, error);
  }
  await pRetry(() => store(ctx, migration, connection, tokens), STORE_RETRY);
  return { status: 'decided', outcome: 'migrated' };
}

/** One refused exchange: what was sent, for whom, and how the job stands. */
interface RefusedAttempt extends MigrateOptions {
  readonly migration: ProviderMigration;
  readonly connection: Connection;
  readonly from: OAuth1Provider;
  readonly tokens: OAuth1Tokens;
  /** An earlier attempt was cut off after sending: the provider may have spent the token. */
  readonly interrupted: boolean;
}

async function refused(
  ctx: Pick<LifecycleContext, 'db' | 'metrics' | 'logger'>,
  attempt: RefusedAttempt,
  error: ProviderError,
): Promise<MigrateOutcome> {
  const { migration, connection } = attempt;
  const refusal = tokenExchangeRefusal(error);
  switch (refusal) {
    case 'transient':
      if (!attempt.finalAttempt) throw error;
      return decide(ctx, migration, connection.id, 'failed', error.code);
    case 'refused':
      return decide(ctx, migration, connection.id, 'failed', error.code);
    case 'credentials':
    case 'clock':
      return pauseForOurs(ctx, migration, refusal);
    case 'grant':
      return refusedGrant(ctx, attempt, error);
  }
}

/**
 * The exchange refused the user's token. That is the user's grant only if our own calls work:
 * a consumer-only control call succeeds while the user's token is refused at the provider's
 * grant check (`checkOAuth1Grant`). Without a grant check, exchanges that succeeded earlier in
 * this run prove the credentials. Anything else could be ours, and pauses the run.
 */
async function refusedGrant(
  ctx: Pick<LifecycleContext, 'db' | 'metrics' | 'logger'>,
  attempt: RefusedAttempt,
  error: ProviderError,
): Promise<MigrateOutcome> {
  const { migration, connection } = attempt;
  const verdict = await checkOAuth1Grant(attempt.from, attempt.tokens);
  switch (verdict) {
    case 'grant_gone':
      return grantGone(
        ctx,
        migration,
        connection,
        attempt.interrupted ? 'exchange_interrupted' : error.code,
      );
    case 'grant_works':
      // The token still works at the provider: the user keeps a live connection at `from`,
      // reported as a failure of this exchange for an operator to look at.
      return decide(ctx, migration, connection.id, 'failed', 'exchange_refused');
    case 'credentials':
    case 'clock':
      return pauseForOurs(ctx, migration, verdict);
    case 'unverifiable': {
      const { migrated } = await migrationCounts(ctx.db, migration.id);
      if (migrated > 0) return grantGone(ctx, migration, connection, error.code);
      return pauseForOurs(ctx, migration, 'credentials');
    }
  }
}

/** Only the user can help: re-link at the successor. */
async function grantGone(
  ctx: Pick<LifecycleContext, 'db' | 'metrics'>,
  migration: ProviderMigration,
  connection: Connection,
  detail: string,
): Promise<MigrateOutcome> {
  await requireReauth(ctx, connection, 'provider_migration', connection.tokenVersion, {
    successor: migration.to,
    migrationId: migration.id,
    detail,
  });
  return decide(ctx, migration, connection.id, 'reauth_required', detail);
}

/**
 * A refusal of our credentials or clock: every exchange would fail alike, so the run pauses
 * (`migration.paused`) and this connection is left exactly as it was, its item pending.
 */
async function pauseForOurs(
  ctx: Pick<LifecycleContext, 'db' | 'logger'>,
  migration: ProviderMigration,
  reason: 'credentials' | 'clock',
): Promise<MigrateOutcome> {
  const paused = await ctx.db.transaction().execute(async (trx) => {
    await lockMigration(trx, migration.id);
    return pauseRun(trx, migration.id, reason);
  });
  if (paused) {
    ctx.logger.error(
      { migrationId: migration.id, provider: migration.from, reason },
      'migration paused: the provider refused our own credentials or clock; fix them, then resume',
    );
  }
  return { status: 'noop', reason: `paused_${reason}` };
}

async function store(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'metrics'>,
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

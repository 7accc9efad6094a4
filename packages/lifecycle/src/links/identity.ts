import { isRefreshable, type ConnectionId } from '@tokenlane/core';
import {
  appendConnectionEvent,
  findByIdentity,
  findConnection,
  findConnectionForUpdate,
  findPendingIdentity,
  updateConnection,
  type Connection,
  type ConnectionPatch,
  type JsonObject,
  type LinkSession,
} from '@tokenlane/db';
import {
  lookUpIdentity,
  ProviderError,
  type FoundIdentity,
  type ProviderErrorCode,
} from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { takeBudget } from '../providers/budget.js';
import { openToken } from '../sealing.js';
import { refreshBackoffMs } from '../refresh-backoff.js';

/** What a look-up touches: the connection's token, the provider and its budget. */
export type LookupDeps = Pick<
  LifecycleContext,
  'db' | 'keyRing' | 'providers' | 'redis' | 'logger' | 'config' | 'policy'
>;

/**
 * A pending identity's look-up (ids and codes only: it is an `identity` job's return value).
 * `failed` carries why, and when the next look-up is due (persisted on the row).
 */
export type IdentityOutcome =
  | { readonly status: 'resolved' }
  /** The identity named an account another connection of the same user already holds. */
  | { readonly status: 'duplicate' }
  | {
      readonly status: 'skipped';
      readonly reason: 'not_found' | 'not_pending' | 'not_live' | 'not_due';
    }
  | { readonly status: 'failed'; readonly code: IdentityFailure; readonly nextLookupAt: string };

/**
 * Why a look-up did not name the user: the provider's error code; `token_unusable` when the
 * connection holds no access token valid long enough to ask with (the next refresh brings
 * one); `no_lookup` when its provider is not configured or declares no look-up now.
 */
export type IdentityFailure = ProviderErrorCode | 'token_unusable' | 'no_lookup';

/** A token about to expire is not sent: the look-up would race the refresh. */
const MIN_TOKEN_VALIDITY_MS = 30_000;

/** Jobs are delayed to their due time; one that wakes a little early still runs. */
const EARLY_SLACK_MS = 1_000;

/**
 * The identity columns a (re-)link writes: a link whose look-up failed starts a pending
 * identity, its first retry one backoff step away; any other link ends one.
 */
export function linkIdentityPatch(
  ctx: Pick<LifecycleContext, 'policy'>,
  pending: ProviderErrorCode | undefined,
  now = new Date(),
): ConnectionPatch {
  if (pending === undefined) {
    return { identityPendingSince: null, identityAttempts: 0, identityNextLookupAt: null };
  }
  return {
    identityPendingSince: now,
    identityAttempts: 0,
    identityNextLookupAt: new Date(now.getTime() + refreshBackoffMs(ctx.policy, 1)),
  };
}

/**
 * The `identity` job: asks the provider again who the user of a connection with a pending
 * identity is, with the connection's access token. The answer becomes the provider user id
 * (with the look-up's metadata and `connection.identity_resolved`); a failure is recorded on
 * the row with the next look-up one backoff step later (the same per-connection backoff as a
 * failing refresh, capped at 6 h), where the sweeper finds it. A connection whose identity is
 * no longer pending (resolved, re-linked), that is not live, or not due yet is left alone.
 */
export async function resolvePendingIdentity(
  ctx: LookupDeps,
  id: ConnectionId,
  now = new Date(),
): Promise<IdentityOutcome> {
  const connection = await findConnection(ctx.db, id);
  if (connection === undefined) return { status: 'skipped', reason: 'not_found' };
  if (connection.identityPendingSince === null) return { status: 'skipped', reason: 'not_pending' };
  if (!isRefreshable(connection.status)) return { status: 'skipped', reason: 'not_live' };
  const due = connection.identityNextLookupAt?.getTime() ?? 0;
  // A job left from an earlier schedule (the row moved its look-up later) waits for its turn.
  if (due > now.getTime() + EARLY_SLACK_MS) {
    return { status: 'skipped', reason: 'not_due' };
  }
  return askProvider(ctx, connection, now);
}

/**
 * Before a link lands: the connection it may land on, if its identity is still pending, is
 * asked about first with its own token, so that the same-account rule compares two known
 * accounts wherever the provider can tell. That is a re-link's target, always; for a new link,
 * the user's pending connection to the provider when the link's own identity is known (an
 * unknown one lands there anyway). When the connection's token cannot tell (expired, revoked),
 * the connection's account stays unknown, and the link's identity becomes the connection's.
 * Best effort: the code is spent, so a failure of our own here is logged and the link goes on.
 */
export async function resolveBeforeLink(
  ctx: LookupDeps,
  session: LinkSession,
  linkIdentityKnown: boolean,
): Promise<void> {
  try {
    const candidate =
      session.connectionId !== null
        ? await findConnection(ctx.db, session.connectionId)
        : linkIdentityKnown
          ? await findPendingIdentity(ctx.db, session.userId, session.provider)
          : undefined;
    if (
      candidate === undefined ||
      candidate.identityPendingSince === null ||
      candidate.status === 'revoked' ||
      candidate.provider !== session.provider
    ) {
      return;
    }
    const outcome = await askProvider(ctx, candidate);
    ctx.logger.info(
      { linkId: session.id, connectionId: candidate.id, outcome: outcome.status },
      'pending identity asked before the link lands on its connection',
    );
  } catch (error) {
    ctx.logger.warn(
      { linkId: session.id, err: { message: error instanceof Error ? error.message : 'unknown' } },
      'could not ask about a pending identity before a link',
    );
  }
}

/**
 * Counts a link's own identity look-up (made with the exchange, in the provider's post-link
 * step) in the provider's budget. It cannot wait, so it is counted even past the limit; best
 * effort, since the code is spent and the link must go on.
 */
export async function countLinkLookup(
  ctx: Pick<LifecycleContext, 'providers' | 'redis' | 'config' | 'logger'>,
  session: LinkSession,
): Promise<void> {
  const provider = ctx.providers.require(session.provider);
  try {
    const scope = session.connectionId ?? session.id;
    await takeBudget(ctx.redis, ctx.config.queuePrefix, provider, scope, 'link', 0);
  } catch (error) {
    ctx.logger.warn(
      { linkId: session.id, err: { message: error instanceof Error ? error.message : 'unknown' } },
      "could not count a link's identity look-up in the provider's budget",
    );
  }
}

/**
 * Asks the provider who the user holding the connection's access token is, and records the
 * answer or the failure, compare-and-set on the pending identity the connection was read with
 * (a re-link meanwhile started a new one, and its look-up is the new grant's).
 */
export async function askProvider(
  ctx: LookupDeps,
  connection: Connection,
  now = new Date(),
): Promise<IdentityOutcome> {
  const provider = ctx.providers.get(connection.provider);
  if (
    provider?.configured !== true ||
    provider.kind !== 'oauth2' ||
    provider.identity === undefined
  ) {
    return recordFailure(ctx, connection, 'no_lookup', undefined, now);
  }
  const accessToken = usableAccessToken(ctx, connection, now);
  if (accessToken === undefined) {
    return recordFailure(ctx, connection, 'token_unusable', undefined, now);
  }
  // The provider's one budget: a look-up leaves the refresh reserve alone, and one with no
  // room fails like the provider's own 429, asked again once the window reopens.
  const wait = await takeBudget(
    ctx.redis,
    ctx.config.queuePrefix,
    provider,
    connection.id,
    'lookup',
    ctx.config.refreshReserve,
  );
  if (wait > 0) return recordFailure(ctx, connection, 'rate_limited', wait, now);
  let found: FoundIdentity;
  try {
    found = await lookUpIdentity(provider, accessToken);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return recordFailure(ctx, connection, error.code, error.retryAfterMs, now);
  }
  return recordIdentity(ctx, connection, found);
}

function usableAccessToken(
  ctx: Pick<LifecycleContext, 'keyRing'>,
  connection: Connection,
  now: Date,
) {
  const expiresAt = connection.expiresAt?.getTime();
  if (expiresAt !== undefined && expiresAt - now.getTime() < MIN_TOKEN_VALIDITY_MS) {
    return undefined;
  }
  return openToken(ctx.keyRing, connection, 'access_token');
}

/** Whether the row still holds the pending identity `connection` was read with. */
function samePending(current: Connection | undefined, read: Connection): current is Connection {
  return (
    current !== undefined &&
    current.identityPendingSince !== null &&
    current.identityPendingSince.getTime() === read.identityPendingSince?.getTime()
  );
}

/** The metadata of a settled look-up: the answer's, without the earlier failure's report. */
function settledMetadata(metadata: JsonObject, found: FoundIdentity['metadata']): JsonObject {
  const kept = Object.entries(metadata).filter(
    ([key]) => key !== 'identityLookup' && key !== 'identityLookupError',
  );
  return { ...Object.fromEntries(kept), ...found };
}

async function recordIdentity(
  ctx: Pick<LifecycleContext, 'db' | 'logger'>,
  read: Connection,
  found: FoundIdentity,
): Promise<IdentityOutcome> {
  return ctx.db.transaction().execute(async (trx): Promise<IdentityOutcome> => {
    const current = await findConnectionForUpdate(trx, read.id);
    if (!samePending(current, read)) return { status: 'skipped', reason: 'not_pending' };
    const settled = {
      identityPendingSince: null,
      identityAttempts: 0,
      identityNextLookupAt: null,
    } satisfies ConnectionPatch;
    const holder = await findByIdentity(
      trx,
      current.userId,
      current.provider,
      found.providerUserId,
    );
    if (holder !== undefined && holder.id !== current.id) {
      // A race: another link of the same account landed on a new connection meanwhile. Ids are
      // unique per user and provider, so this one stays without: the backend sees both.
      await updateConnection(trx, current.id, {
        ...settled,
        metadata: {
          ...settledMetadata(current.metadata, found.metadata),
          identityLookup: 'duplicate',
        },
      });
      ctx.logger.warn(
        { connectionId: current.id, provider: current.provider, holder: holder.id },
        'identity look-up named an account another connection of the user holds',
      );
      return { status: 'duplicate' };
    }
    const row = await updateConnection(trx, current.id, {
      ...settled,
      providerUserId: found.providerUserId,
      metadata: settledMetadata(current.metadata, found.metadata),
    });
    await appendConnectionEvent(trx, current, {
      type: 'connection.identity_resolved',
      data: {
        providerUserId: found.providerUserId,
        status: row?.status ?? current.status,
        pendingSince: read.identityPendingSince?.toISOString() ?? null,
        attempts: current.identityAttempts + 1,
      },
    });
    ctx.logger.info(
      {
        connectionId: current.id,
        provider: current.provider,
        attempts: current.identityAttempts + 1,
      },
      'pending identity resolved',
    );
    return { status: 'resolved' };
  });
}

async function recordFailure(
  ctx: Pick<LifecycleContext, 'db' | 'logger' | 'policy'>,
  read: Connection,
  code: IdentityFailure,
  retryAfterMs: number | undefined,
  now: Date,
): Promise<IdentityOutcome> {
  const attempts = read.identityAttempts + 1;
  const next = new Date(now.getTime() + refreshBackoffMs(ctx.policy, attempts, retryAfterMs));
  const recorded = await ctx.db.transaction().execute(async (trx) => {
    const current = await findConnectionForUpdate(trx, read.id);
    if (!samePending(current, read)) return false;
    await updateConnection(trx, current.id, {
      identityAttempts: attempts,
      identityNextLookupAt: next,
      metadata: { ...current.metadata, identityLookup: 'failed', identityLookupError: code },
    });
    return true;
  });
  if (!recorded) return { status: 'skipped', reason: 'not_pending' };
  ctx.logger.info(
    { connectionId: read.id, provider: read.provider, code, attempts, nextLookupAt: next },
    'identity look-up failed; asked again later',
  );
  return { status: 'failed', code, nextLookupAt: next.toISOString() };
}

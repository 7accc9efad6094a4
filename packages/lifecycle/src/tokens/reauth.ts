import {
  isRefreshable,
  REAUTH_REASONS,
  type ConnectionId,
  type ReauthReason,
} from '@tokenlane/core';
import { findConnection, type Connection } from '@tokenlane/db';
import { checkOAuth1Grant } from '@tokenlane/providers';
import { defineJob } from '@tokenlane/queue';
import { z } from 'zod';
import type { LifecycleContext } from '../context.js';
import { timingSafeEqualString } from '@tokenlane/vault';
import { LifecycleError } from '../errors.js';
import { connectionIdSchema } from '../payload-ids.js';
import { openTokens } from '../sealing.js';
import type { RefreshOutcome } from './refresh.js';
import { requireReauth } from './relink.js';
import { requestRefresh, waitForNewTokens } from './request-refresh.js';
import { refreshWait, type RefreshWait } from './refresh-wait.js';

/** What a `reauth` job did (ids and codes only). */
export type ReauthOutcome =
  | RefreshOutcome
  | { readonly status: 'stale_report' }
  | { readonly status: 'not_found' }
  /** OAuth 1.0a: the grant check says the token works, or that the refusal is ours. */
  | {
      readonly status: 'not_blamed';
      readonly reason: 'token_works' | 'ours_credentials' | 'ours_clock';
    };

/**
 * `reauth`: a backend saw a 401 with the token of `tokenVersion`: force one refresh of that
 * token, else ask for re-authorization (see {@link reauthConnection}). Declared beside its
 * work because both ends live here: the report adds the job, and the job reads what the
 * previous version's job returned.
 */
export const reauthJob = defineJob({
  name: 'reauth',
  payload: z.strictObject({
    connectionId: connectionIdSchema,
    tokenVersion: z.int().nonnegative(),
  }),
  jobId: (p) => `reauth-${p.connectionId}-${p.tokenVersion}`,
  attempts: 5,
  backoff: { baseMs: 1_000, capMs: 60_000 },
  // Kept a day: more reports about the same token within it are deduplicated.
  retention: { completed: { age: 86_400 }, failed: { age: 86_400 } },
  lockMs: 15_000,
  concurrency: 10,
  run: (
    ctx: Pick<
      LifecycleContext,
      'db' | 'keyRing' | 'providers' | 'queues' | 'redis' | 'logger' | 'config'
    >,
    { connectionId, tokenVersion },
  ) => reauthConnection(ctx, connectionId, tokenVersion),
});

/**
 * `POST /v1/connections/:id/unauthorized`: the backend saw a 401 with this connection's token,
 * and names it. Only a report naming the current token counts: anyone else (a report about a
 * replaced token, or a guess) gets `stale_report` and changes nothing, so a caller who never
 * saw the token cannot push the connection toward `reauth_required`. Otherwise a `reauth`
 * job for the current token version is added (its id dedupes repeated reports).
 */
export async function reportUnauthorized(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'queues'>,
  id: ConnectionId,
  reportedAccessToken: string,
): Promise<{ status: 'accepted' | 'stale_report'; tokenVersion: number }> {
  const connection = await findConnection(ctx.db, id);
  if (connection === undefined)
    throw new LifecycleError('connection_not_found', 'connection not found');
  const current = openTokens(ctx.keyRing, connection).accessToken;
  if (current === undefined || !timingSafeEqualString(current.reveal(), reportedAccessToken)) {
    return { status: 'stale_report', tokenVersion: connection.tokenVersion };
  }
  await ctx.queues.enqueue(reauthJob, { connectionId: id, tokenVersion: connection.tokenVersion });
  return { status: 'accepted', tokenVersion: connection.tokenVersion };
}

/** How long a `reauth` job waits on the refresh it asked for, each of the two times it asks. */
const REFRESH_WAIT_MS = 7_500;

/**
 * The `reauth` job: forces one refresh of the reported token, through the connection's single
 * `refresh` job (docs/architecture.md, rule 4: refreshing here as well would race a token request or the
 * sweeper, and with rotation the second grant spends the first one's token). When the
 * provider cannot refresh (OAuth 1.0a, no refresh token), or the report is about a token that
 * itself came from a refresh forced by an earlier 401 (the 401 survived a fresh refresh), the
 * connection moves to `reauth_required` (docs/architecture.md, rule 5); the event names the
 * reason, and a re-link is made when a caller asks for one.
 */
export async function reauthConnection(
  ctx: Pick<
    LifecycleContext,
    'db' | 'keyRing' | 'providers' | 'queues' | 'redis' | 'logger' | 'config'
  >,
  id: ConnectionId,
  tokenVersion: number,
): Promise<ReauthOutcome> {
  const connection = await findConnection(ctx.db, id);
  if (connection === undefined) return { status: 'not_found' };
  if (connection.tokenVersion !== tokenVersion) return { status: 'stale_report' };
  if (connection.status === 'reauth_required' || connection.status === 'revoked') {
    return { status: 'skipped', reason: 'not_refreshable' };
  }
  if (await survivedForcedRefresh(ctx, id, tokenVersion)) {
    return requireReauth(ctx, connection, 'unauthorized_after_refresh', tokenVersion);
  }
  if (!refreshable(ctx, connection)) {
    const verdict = await oauth1Verdict(ctx, connection);
    if (verdict !== undefined) return verdict;
    return requireReauth(ctx, connection, 'unauthorized', tokenVersion);
  }
  const wait = await refreshWait(ctx, connection);
  if (wait !== undefined) return waitOutcome(ctx, connection, wait);
  const after = await forcedRefresh(ctx, connection);
  if (after === undefined) return { status: 'not_found' };
  if (after.status === 'reauth_required') {
    return { status: 'reauth_required', code: reauthReasonOf(after.lastErrorCode) };
  }
  if (after.tokenVersion === tokenVersion) {
    return { status: 'skipped', reason: 'not_refreshable' };
  }
  return { status: 'refreshed', tokenVersion: after.tokenVersion };
}

/**
 * A 401 about a connection whose refreshes may not run now ends the job at once, instead of
 * waiting through its retries for a refresh that cannot come. Backing off, the attempt already
 * scheduled at `refresh_due_at` replaces the token; paused, the report's refresh is queued and
 * runs when the breaker lets it (it keeps its place behind the provider's probe).
 */
async function waitOutcome(
  ctx: Pick<LifecycleContext, 'queues'>,
  connection: Connection,
  wait: RefreshWait,
): Promise<ReauthOutcome> {
  if (wait.reason === 'backing_off') return { status: 'skipped', reason: 'backing_off' };
  await requestRefresh(ctx, connection.id, 'reauth', connection.tokenVersion);
  return { status: 'deferred', reason: 'provider_unhealthy', retryInMs: wait.waitMs };
}

/**
 * An OAuth 1.0a token cannot be refreshed, and a 401 with it may be a caller's bad signature or
 * clock rather than a dead grant (RFC 5849 §3.2). Where the provider declares a grant check,
 * the grant is checked with our own signature first: a token that still works, or a control
 * call refused for our credentials, leaves the connection alone. Undefined: the grant is gone,
 * or cannot be checked (the report is then believed, as before).
 */
async function oauth1Verdict(
  ctx: Pick<LifecycleContext, 'keyRing' | 'providers' | 'logger'>,
  connection: Connection,
): Promise<ReauthOutcome | undefined> {
  const provider = ctx.providers.require(connection.provider);
  const { accessToken, tokenSecret } = openTokens(ctx.keyRing, connection);
  if (provider.kind !== 'oauth1' || accessToken === undefined || tokenSecret === undefined) {
    return undefined;
  }
  const verdict = await checkOAuth1Grant(provider, { token: accessToken, tokenSecret });
  switch (verdict) {
    case 'grant_gone':
    case 'unverifiable':
      return undefined;
    case 'grant_works':
      return { status: 'not_blamed', reason: 'token_works' };
    case 'credentials':
    case 'clock':
      ctx.logger.error(
        { connectionId: connection.id, provider: provider.id, cause: verdict },
        'a 401 report was not blamed on the user: the provider refuses our own consumer credentials or clock',
      );
      return { status: 'not_blamed', reason: `ours_${verdict}` };
  }
}

/** The reason a refresh wrote when it moved the connection to `reauth_required`. */
function reauthReasonOf(code: string | null): ReauthReason {
  return (REAUTH_REASONS as readonly string[]).includes(code ?? '')
    ? (code as ReauthReason)
    : 'invalid_grant';
}

function refreshable(ctx: Pick<LifecycleContext, 'providers'>, connection: Connection): boolean {
  return (
    ctx.providers.require(connection.provider).kind === 'oauth2' &&
    connection.refreshTokenEnc !== null
  );
}

/**
 * Joins (or adds) the connection's refresh job for this token version and waits until the
 * tokens move past it or the connection leaves `active`/`degraded`. Asks twice: the job joined
 * first may be a scheduled one that finds the connection not due yet and does nothing. Throws
 * while the refresh is still pending (a provider outage), so the job retries with backoff.
 */
async function forcedRefresh(
  ctx: Pick<LifecycleContext, 'db' | 'queues'>,
  connection: Connection,
): Promise<Connection | undefined> {
  for (let round = 0; round < 2; round += 1) {
    await requestRefresh(ctx, connection.id, 'reauth', connection.tokenVersion);
    const deadline = Date.now() + REFRESH_WAIT_MS;
    let seen = connection;
    while (Date.now() < deadline) {
      const next = await waitForNewTokens(ctx, seen, deadline - Date.now());
      if (next === undefined) break;
      const settled = next.tokenVersion !== connection.tokenVersion || !isRefreshable(next.status);
      if (settled) return next;
      seen = next;
    }
    if ((await findConnection(ctx.db, connection.id)) === undefined) return undefined;
  }
  throw new Error('the forced refresh is still pending');
}

/** Did the reauth job of the previous version refresh into this very token? */
async function survivedForcedRefresh(
  ctx: Pick<LifecycleContext, 'queues'>,
  id: ConnectionId,
  version: number,
) {
  if (version === 0) return false;
  const previous = await ctx.queues
    .queue(reauthJob.name)
    .getJob(reauthJob.jobId({ connectionId: id, tokenVersion: version - 1 }));
  const result = previous?.returnvalue as RefreshOutcome | undefined;
  return result?.status === 'refreshed' && result.tokenVersion === version;
}

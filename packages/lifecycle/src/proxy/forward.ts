import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionId, ConnectionStatus } from '@tokenlane/core';
import type { Connection } from '@tokenlane/db';
import type { Provider } from '@tokenlane/providers';
import type { LifecycleContext } from '../context.js';
import { LifecycleError } from '../errors.js';
import { readConnection } from '../tokens/batching.js';
import { reportUnauthorized } from '../tokens/reauth.js';
import { requireReauth } from '../tokens/relink.js';
import { refreshAndWait } from '../tokens/request-refresh.js';
import { getUsableToken, type UsableToken } from '../tokens/token-access.js';
import { prepareBody, replayable, type ProxyBody } from './body.js';
import { authorizationFor, unsignableForm } from './credentials.js';
import { forwardedRequestHeaders } from './headers.js';
import { DEFAULT_HOLD_MS, heldBackFor, holdBack, spendProxyBudget } from '../providers/budget.js';
import { idempotent, retryAfterMs, retryDelayMs, retryableStatus } from './retries.js';
import { sendUpstream, type UpstreamResponse } from './send.js';
import { proxyCredentialCache, type CachedCredential } from '../tokens/credential-cache.js';
import { upstreamUrl } from './upstream-url.js';

/** How long a proxied call waits on the connection's refresh (as long as the token API). */
const REFRESH_WAIT_MS = 10_000;

/** One call a backend makes through tokenlane. */
export interface ProxyCall {
  readonly connectionId: ConnectionId;
  readonly method: string;
  /** The path after `/proxy/`, still percent-encoded as it arrived. */
  readonly rawPath: string;
  /** The query after `?`, as it arrived. */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: AsyncIterable<unknown> | undefined;
  /** `Tokenlane-Base-Url`: one of the provider's `apiHosts` instead of its `apiBaseUrl`. */
  readonly baseUrl?: string | undefined;
  readonly minValiditySeconds: number;
  readonly timeoutMs: number;
  /**
   * `Tokenlane-Retries`: how often an idempotent call is sent again after a 5xx, a 429 or a
   * network error (0: never, the default).
   */
  readonly retries?: number;
  /** The caller may start a re-link when the connection needs one (`connections:write`). */
  readonly mayRelink: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Told the connection's status as soon as it is read, for the answer's header. */
  readonly onConnection?: (seen: { status: ConnectionStatus; provider: string }) => void;
}

/** The provider's answer, streaming, and what the caller should know about the connection. */
export interface ProxyAnswer {
  readonly response: UpstreamResponse;
  readonly provider: string;
  readonly connectionStatus: ConnectionStatus;
  /** Requests sent to the provider: 1, 2 after a 401 and a refresh, more with retries. */
  readonly attempts: number;
}

/** The base URL a call goes under: `apiBaseUrl`, or one of `apiHosts` when asked by name. */
function baseFor(provider: Provider, requested: string | undefined): string {
  if (provider.apiBaseUrl === undefined) {
    throw new LifecycleError(
      'proxy_not_configured',
      `${provider.id} declares no apiBaseUrl: set one in the providers file to call its API through tokenlane`,
    );
  }
  if (requested === undefined || requested === provider.apiBaseUrl) return provider.apiBaseUrl;
  if (provider.apiHosts?.includes(requested) === true) return requested;
  throw new LifecycleError(
    'invalid_proxy_request',
    'Tokenlane-Base-Url must be the provider’s apiBaseUrl or one of its apiHosts',
  );
}

function isUnauthorized(provider: Provider, status: number): boolean {
  return status === 401 || provider.unauthorizedStatuses?.includes(status) === true;
}

/**
 * A connection whose provider can refresh: a 401 is worth one forced refresh and a retry.
 * OAuth 1.0a tokens (and grants without a refresh token) cannot be refreshed: their 401 goes
 * to the reauth job, which checks the grant before blaming the user (rule 19).
 */
function canRefresh(provider: Provider, connection: Connection): boolean {
  return provider.kind === 'oauth2' && connection.refreshTokenEnc !== null;
}

/** What a proxied call touches. */
type ProxyDeps = Pick<
  LifecycleContext,
  'db' | 'keyRing' | 'providers' | 'queues' | 'redis' | 'config'
>;

/**
 * Calls the provider's API for one connection (docs/proxy.md): checks the path stays under
 * the provider's API, gets a token valid long enough through the connection's single
 * refresh, signs or authorizes the request, streams it, and handles a 401 once: a forced
 * refresh through the same single-flight path and one retry; a retry refused too moves the
 * connection to `reauth_required`. Nothing is sent when any check before it fails.
 */
export async function proxyCall(ctx: ProxyDeps, call: ProxyCall): Promise<ProxyAnswer> {
  const cache = proxyCredentialCache(ctx.db);
  const cached = cache.get(call.connectionId, call.minValiditySeconds);
  const readAt = cache.generation;
  const connection = cached?.connection ?? (await readConnection(ctx, call.connectionId));
  if (connection === undefined) {
    throw new LifecycleError('connection_not_found', 'connection not found');
  }
  call.onConnection?.({ status: connection.status, provider: connection.provider });
  const provider = ctx.providers.require(connection.provider);
  const base = baseFor(provider, call.baseUrl);
  const target = upstreamUrl(base, call.rawPath, call.rawQuery);
  if (!target.ok) {
    throw new LifecycleError(
      'invalid_proxy_request',
      `The proxied path is refused (${target.refusal}): it must stay under the provider's API`,
    );
  }
  const token = cached?.token ?? (await usableFor(ctx, connection, call, readAt));
  const body = await prepareBody(call.body);
  const contentType = headerText(call.headers['content-type']);
  if (unsignableForm(contentType, body) && provider.kind === 'oauth1') {
    throw new LifecycleError(
      'proxy_body_too_large',
      'A form body sent to an OAuth 1.0a provider is signed whole: keep it under 1 MiB',
    );
  }
  const headers = forwardedRequestHeaders(call.headers);
  const { redis } = ctx;
  const prefix = ctx.config.queuePrefix;
  // The provider's one budget, before anything is sent: a 429 hold-back, then every window.
  const spend = async () => {
    const wait = await spendProxyBudget(
      redis,
      prefix,
      provider,
      connection.id,
      ctx.config.refreshReserve,
    );
    if (wait > 0) {
      throw new LifecycleError(
        'rate_limited',
        `${provider.id}'s rate budget has no room for this call now`,
        { retryAfterSeconds: wait / 1000 },
      );
    }
  };
  const send = async (with_: UsableToken) => {
    await spend();
    const response = await sendUpstream({
      method: call.method,
      url: target.url,
      headers: {
        ...headers,
        authorization: authorizationFor(
          provider,
          with_,
          { method: call.method, url: target.url, contentType },
          body,
        ),
      },
      body,
      timeoutMs: call.timeoutMs,
      signal: call.signal,
    });
    if (response.statusCode === 429) {
      const after = retryAfterMs(response.headers['retry-after']);
      await holdBack(redis, prefix, provider, connection.id, after > 0 ? after : DEFAULT_HOLD_MS);
    }
    return response;
  };
  let sent = 0;
  // Opt-in retries: idempotent methods with a replayable body only, full jitter, never sooner
  // than Retry-After, and never a wait longer than the caller's own timeout.
  const sendWithRetries = async (with_: UsableToken): Promise<UpstreamResponse> => {
    const retries = idempotent(call.method) && replayable(body) ? (call.retries ?? 0) : 0;
    for (let attempt = 0; ; attempt += 1) {
      sent += 1;
      let response: UpstreamResponse;
      try {
        response = await send(with_);
      } catch (error) {
        const network = error instanceof LifecycleError && error.code === 'provider_unreachable';
        if (!network || attempt >= retries) throw error;
        await sleep(retryDelayMs(attempt, 0), undefined, { signal: call.signal });
        continue;
      }
      if (attempt >= retries || !retryableStatus(response.statusCode)) return response;
      const held = await heldBackFor(redis, prefix, provider, connection.id);
      const wait = retryDelayMs(
        attempt,
        Math.max(held, retryAfterMs(response.headers['retry-after'])),
      );
      if (wait > call.timeoutMs) return response;
      await response.body.dump();
      await sleep(wait, undefined, { signal: call.signal });
    }
  };
  const first = await sendWithRetries(token);
  const answer = (response: UpstreamResponse, status: ConnectionStatus) => ({
    response,
    provider: provider.id,
    connectionStatus: status,
    attempts: sent,
  });
  if (!isUnauthorized(provider, first.statusCode)) return answer(first, connection.status);
  if (!canRefresh(provider, connection) || !replayable(body)) {
    cache.forget(connection.id);
    await reportRefused(ctx, connection, token);
    return answer(first, connection.status);
  }
  cache.forget(connection.id);
  const renewed = await forceRefresh(ctx, connection.id, token.tokenVersion, call);
  if (renewed === undefined) return answer(first, await statusOf(ctx, connection));
  cache.put(renewed, renewed.readAt);
  await first.body.dump();
  const second = await sendWithRetries(renewed.token);
  if (!isUnauthorized(provider, second.statusCode)) {
    return answer(second, renewed.connection.status);
  }
  // A token fresh from the provider's own token endpoint refused too: the grant no longer
  // opens the API. Reported as a 401 report would be, for this very token version.
  cache.forget(connection.id);
  const moved = await requireReauth(
    ctx,
    renewed.connection,
    'unauthorized',
    renewed.token.tokenVersion,
  );
  return answer(
    second,
    moved.status === 'lost_race' ? renewed.connection.status : 'reauth_required',
  );
}

/**
 * The forced refresh after a 401: joins the connection's single refresh of the refused
 * version (every concurrent call refused with it shares one), or takes the token another
 * call already got. Undefined when no newer token came (refresh failed or still pending).
 */
async function forceRefresh(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'providers' | 'queues' | 'redis' | 'config'>,
  id: ConnectionId,
  refusedVersion: number,
  call: ProxyCall,
): Promise<(CachedCredential & { readAt: number }) | undefined> {
  const readAt = proxyCredentialCache(ctx.db).generation;
  let current = await readConnection(ctx, id);
  if (current === undefined) return undefined;
  if (current.tokenVersion === refusedVersion) {
    current = (await refreshAndWait(ctx, current, REFRESH_WAIT_MS)) ?? current;
  }
  if (current.tokenVersion === refusedVersion) return undefined;
  if (current.status !== 'active' && current.status !== 'degraded') return undefined;
  const token = await getUsableToken(ctx, current, {
    minValiditySeconds: 0,
    waitMs: REFRESH_WAIT_MS,
    mayRelink: call.mayRelink,
  }).catch(() => undefined);
  return token === undefined ? undefined : { connection: current, token, readAt };
}

/**
 * The token for a connection just read: the token API's path (refreshed first when it would
 * expire within the caller's min-validity), kept for the next calls when the connection is
 * active and the token is the row's own.
 */
async function usableFor(
  ctx: ProxyDeps,
  connection: Connection,
  call: ProxyCall,
  readAt: number,
): Promise<UsableToken> {
  const token = await getUsableToken(ctx, connection, {
    minValiditySeconds: call.minValiditySeconds,
    waitMs: REFRESH_WAIT_MS,
    mayRelink: call.mayRelink,
  });
  proxyCredentialCache(ctx.db).put({ connection, token }, readAt);
  return token;
}

/** A 401 that cannot be retried goes the way of a backend's 401 report (the reauth job). */
async function reportRefused(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'queues'>,
  connection: Connection,
  token: UsableToken,
): Promise<void> {
  const refused = token.kind === 'oauth2' ? token.accessToken : token.token;
  await reportUnauthorized(ctx, connection.id, refused.reveal());
}

async function statusOf(
  ctx: Pick<LifecycleContext, 'db'>,
  connection: Connection,
): Promise<ConnectionStatus> {
  return (await readConnection(ctx, connection.id))?.status ?? connection.status;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export type { ProxyBody };

import { isRefreshable } from '@tokenlane/core';
import type { Connection } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { breakerState } from '../providers/breaker.js';

/**
 * Why no refresh may run for a caller now, and for how long: the provider's breaker is open,
 * or the connection is backing off from failed refreshes (docs/api.md, "Failure policy").
 * Neither a token request nor a 401 report may cut either short; only an operator can.
 */
export interface RefreshWait {
  readonly reason: 'provider_unhealthy' | 'backing_off';
  readonly waitMs: number;
  /** The refusal that caused the wait (a provider error code). */
  readonly code: string;
}

export async function refreshWait(
  ctx: Pick<LifecycleContext, 'redis' | 'config'>,
  connection: Connection,
): Promise<RefreshWait | undefined> {
  if (!isRefreshable(connection.status) || connection.refreshTokenEnc === null) return undefined;
  const breaker = await breakerState(ctx, connection.provider);
  if (breaker.state === 'open') {
    return { reason: 'provider_unhealthy', waitMs: breaker.waitMs, code: breaker.code };
  }
  const backoffMs =
    connection.failingSince !== null && connection.refreshDueAt !== null
      ? connection.refreshDueAt.getTime() - Date.now()
      : 0;
  if (backoffMs <= 0) return undefined;
  return {
    reason: 'backing_off',
    waitMs: backoffMs,
    code: connection.lastErrorCode ?? 'unknown',
  };
}

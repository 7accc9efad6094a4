import { refreshJob, scaledFailurePolicy, sweepDueRefreshes } from '@tokenlane/lifecycle';
import { startWorkers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { sql } from 'kysely';
import { openBenchRuntime, type Infra } from './infra.js';
import { CONCURRENCY, seedConnections } from './refresh.js';

/** One real second stands for a minute: the failure policy's timings are divided by this. */
const TIME_SCALE = 60;
/** The outage, in simulated minutes (10 real seconds). */
const OUTAGE_MINUTES = 10;
/** The provider's rate limit, in real time. */
const RATE_LIMIT = { requests: 500, perSeconds: 1 } as const;

export interface OutageResult {
  readonly connections: number;
  readonly outageMinutes: number;
  readonly timeScale: number;
  readonly rateLimitPerSec: number;
  /** Token requests the provider answered 503 during the outage. */
  readonly requestsDuringOutage: number;
  /** The same, per connection and per (simulated) hour of outage: goal < 2. */
  readonly perConnectionHour: number;
  /** Real ms from the provider's recovery until every connection was refreshed. */
  readonly recoveryMs: number;
  /** How long draining N at the rate limit takes at the least, for comparison. */
  readonly drainFloorMs: number;
  readonly refreshed: number;
}

/**
 * Section 6: N connections of one provider all come due while its token endpoint answers 503
 * for 10 minutes (on a clock 60× compressed: the policy's backoff, breaker window and probe
 * intervals are scaled, the provider's rate limit is not), then recovers. Counts the requests
 * the provider saw during the outage and times the recovery, through the worker's own refresh
 * handler and the sweeper.
 */
export async function benchOutage(
  infra: Infra,
  n: number,
  timeoutMs: number,
): Promise<OutageResult> {
  const { rt, close } = await openBenchRuntime(infra, 'outage', { rateLimit: RATE_LIMIT });
  const ctx: Runtime = { ...rt, policy: scaledFailurePolicy(rt.policy, TIME_SCALE) };
  const outageMs = (OUTAGE_MINUTES * 60_000) / TIME_SCALE;
  const sweeping = new AbortController();
  try {
    const now = new Date();
    await seedConnections(ctx, n, now, new Date(now.getTime() + 3_600_000), 'outage');
    const refusedBefore = await infra.endpoint.refused();
    await infra.endpoint.outage(outageMs);
    const outageStart = Date.now();
    const [worker] = startWorkers([refreshJob], ctx, {
      connection: ctx.workerConnection,
      prefix: ctx.config.queuePrefix,
      concurrency: { refresh: CONCURRENCY },
    });
    if (worker === undefined) throw new Error('no refresh worker');
    const sweeper = (async () => {
      while (!sweeping.signal.aborted) {
        await sweepDueRefreshes(ctx, { lookAheadMs: 0, limit: 20_000 });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, outageStart + outageMs - Date.now()));
      const requestsDuringOutage = (await infra.endpoint.refused()) - refusedBefore;
      const recoveredAt = Date.now();
      const deadline = recoveredAt + timeoutMs;
      let refreshed = 0;
      while (refreshed < n && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        refreshed = await refreshedCount(ctx);
      }
      if (refreshed < n) throw new Error(`only ${refreshed}/${n} refreshed after the outage`);
      const connectionHours = (n * OUTAGE_MINUTES) / 60;
      return {
        connections: n,
        outageMinutes: OUTAGE_MINUTES,
        timeScale: TIME_SCALE,
        rateLimitPerSec: RATE_LIMIT.requests / RATE_LIMIT.perSeconds,
        requestsDuringOutage,
        perConnectionHour: requestsDuringOutage / connectionHours,
        recoveryMs: Date.now() - recoveredAt,
        drainFloorMs: (n / RATE_LIMIT.requests) * RATE_LIMIT.perSeconds * 1000,
        refreshed,
      };
    } finally {
      sweeping.abort();
      await sweeper;
      await worker.close();
    }
  } finally {
    await close();
  }
}

async function refreshedCount(rt: Runtime): Promise<number> {
  const { rows } = await sql<{ count: string }>`
    select count(*)::text as count from connections where token_version > 1`.execute(rt.db);
  return Number(rows[0]?.count ?? 0);
}

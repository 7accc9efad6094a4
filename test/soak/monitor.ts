import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { DISTURBS, type FaultKind } from './faults.js';
import { refreshBatchJob } from '@tokenlane/lifecycle';
import { REFRESH_LEASE_MS, SWEEP_INTERVAL_MS, type SoakWorld } from './world.js';

/** How often the invariants are sampled while the faults run. */
const SAMPLE_MS = 3_000;
/**
 * How far past its `refresh_due_at` (which already holds any backoff) a connection may be
 * once every fault has cleared: the longer of the two ways lost work comes back, then one sweep
 * and slack. A killed worker's jobs are taken back once their locks lapse and the next stalled
 * check (every half lock) sees them; its rows, and a batch's lost with Redis, are freed when
 * their refresh leases lapse, for the next sweep.
 */
export const OVERDUE_MS =
  Math.max(refreshBatchJob.lockMs * 1.5, REFRESH_LEASE_MS) + SWEEP_INTERVAL_MS + 4_000;

/** One overdue connection seen while no fault held refreshes up. */
export interface Overdue {
  readonly id: string;
  readonly lateMs: number;
  readonly atMs: number;
}

/** A memory reading: worker RSS by pid, and the slot master's `used_memory`. */
export interface MemorySample {
  readonly atMs: number;
  readonly workerRss: ReadonlyMap<number, number>;
  readonly redisBytes: number | undefined;
}

/** Which faults are running, and when the last one holding up each kind of work ended. */
export class Disturbances {
  private readonly active = new Map<FaultKind, number>();
  private readonly lastEnd = { refresh: 0, delivery: 0, nothing: 0 };

  begin(kind: FaultKind): void {
    this.active.set(kind, (this.active.get(kind) ?? 0) + 1);
  }

  end(kind: FaultKind): void {
    this.active.set(kind, (this.active.get(kind) ?? 1) - 1);
    this.lastEnd[DISTURBS[kind]] = Date.now();
  }

  /** Whether refreshes have been free of faults for at least `ms`. */
  refreshQuietFor(ms: number): boolean {
    const running = [...this.active].some(([kind, n]) => n > 0 && DISTURBS[kind] === 'refresh');
    return !running && Date.now() - this.lastEnd.refresh >= ms;
  }
}

/** Samples the overdue connections and memory every few seconds until stopped. */
export function startMonitor(world: SoakWorld, disturbances: Disturbances, startedAt: number) {
  const overdue: Overdue[] = [];
  const memory: MemorySample[] = [];
  let quietSamples = 0;
  let skippedSamples = 0;
  let sampling: Promise<void> = Promise.resolve();
  const sample = async () => {
    try {
      if (disturbances.refreshQuietFor(OVERDUE_MS)) {
        quietSamples += 1;
        for (const row of await overdueConnections(world, OVERDUE_MS)) {
          overdue.push({ ...row, atMs: Date.now() - startedAt });
        }
      }
      memory.push(await sampleMemory(world, Date.now() - startedAt));
    } catch {
      // Postgres or Redis is down under a fault: that sample is skipped, not failed.
      skippedSamples += 1;
    }
  };
  const timer = setInterval(() => {
    sampling = sampling.then(sample);
  }, SAMPLE_MS);
  return {
    overdue,
    memory,
    counts: () => ({ quietSamples, skippedSamples }),
    /** One more check now, as at the end of the run. */
    checkNow: sample,
    stop: async () => {
      clearInterval(timer);
      await sampling;
    },
  };
}

/** Connections still refreshable whose next refresh (or expiry, if none) passed `ms` ago. */
async function overdueConnections(world: SoakWorld, ms: number) {
  const rows = await world.oidc.stack.db.db
    .selectFrom('connections')
    .select(['id', 'refresh_due_at', 'expires_at'])
    .where('status', 'in', ['active', 'degraded'])
    .execute();
  const now = Date.now();
  return rows.flatMap((row) => {
    const due = row.refresh_due_at ?? row.expires_at;
    const lateMs = due === null ? 0 : now - due.getTime();
    return lateMs > ms ? [{ id: row.id, lateMs }] : [];
  });
}

async function sampleMemory(world: SoakWorld, atMs: number): Promise<MemorySample> {
  const workerRss = new Map<number, number>();
  for (const service of world.oidc.stack.services) {
    const pid = service.child.pid;
    if (service.name !== 'worker' || pid === undefined || service.child.exitCode !== null) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    if (kb !== undefined) workerRss.set(pid, Number(kb) * 1024);
  }
  const master = await world.cluster.masterOf(`${world.prefix}:refresh:meta`);
  const redis = new Redis(master.url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    const info = await redis.info('memory');
    const used = /^used_memory:(\d+)/m.exec(info)?.[1];
    return { atMs, workerRss, redisBytes: used === undefined ? undefined : Number(used) };
  } finally {
    redis.disconnect();
  }
}

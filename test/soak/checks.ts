import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionId } from '@tokenlane/core';
import { openTokens } from '@tokenlane/lifecycle';
import { JOB_NAMES, refreshBatchJob, refreshJob, type JobName } from '@tokenlane/lifecycle';
import { activeAtPeer } from '../support/oidc-stack.js';
import type { MemorySample, Overdue } from './monitor.js';
import type { SoakWorld } from './world.js';

/** One invariant's verdict, as the table prints it. */
export interface Check {
  readonly name: string;
  readonly held: boolean;
  readonly detail: string;
}

/** How long undelivered events may take to arrive once every fault is over. */
const DRAIN_MS = 90_000;

export function overdueCheck(overdue: readonly Overdue[], quietSamples: number): Check {
  const ids = new Set(overdue.map((row) => row.id));
  const worst = Math.max(0, ...overdue.map((row) => row.lateMs));
  return {
    name: 'no connection overdue once faults clear',
    held: overdue.length === 0,
    detail:
      overdue.length === 0
        ? `0 overdue in ${quietSamples} quiet samples`
        : `${ids.size} connections overdue (worst ${Math.round(worst / 1000)} s past due, ` +
          `first at ${Math.round(overdue[0]!.atMs / 1000)} s): ${[...ids].slice(0, 5).join(', ')}`,
  };
}

/**
 * Every connection is still `active` and its refresh token honored by the peer, except those a
 * `kill -9` cut off mid-rotation (`refresh_interrupted`): counted, not failed.
 */
export async function grantCheck(world: SoakWorld): Promise<Check> {
  const first = await grantsOf(world, world.ids);
  // The workers run on while this looks: a refresh in flight has rotated its token at the peer
  // and not yet stored the new one. A row found so is looked at again once any refresh in
  // flight has landed; a lost grant stays lost (its next refresh is refused).
  const again =
    first.lost.length === 0
      ? { interrupted: 0, lost: [] }
      : await sleep(IN_FLIGHT_GRACE_MS).then(() =>
          grantsOf(
            world,
            first.lost.map((lost) => lost.id),
          ),
        );
  const interrupted = first.interrupted + again.interrupted;
  const lost = again.lost.map((row) => `${row.id} ${row.reason}`);
  return {
    name: 'no grant lost',
    held: lost.length === 0,
    detail:
      `${world.ids.length - interrupted - lost.length} active with a live grant, ` +
      `${interrupted} refresh_interrupted (rotation in flight at a kill -9)` +
      (lost.length === 0 ? '' : `, ${lost.length} lost: ${lost.slice(0, 5).join('; ')}`) +
      (first.lost.length > again.lost.length
        ? ` (${first.lost.length - again.lost.length} found mid-refresh, live a moment later)`
        : ''),
  };
}

/** Longer than a refresh takes from the provider's answer to its stored write. */
const IN_FLIGHT_GRACE_MS = 5_000;

/** Rows a kill cut off mid-rotation (counted) and rows whose grant is not live (with why). */
async function grantsOf(world: SoakWorld, ids: readonly ConnectionId[]) {
  const { oidc } = world;
  let interrupted = 0;
  const lost: { id: ConnectionId; reason: string }[] = [];
  for (const row of await oidc.rows(ids)) {
    if (row.status === 'reauth_required' && row.last_error_code === 'refresh_interrupted') {
      interrupted += 1;
      continue;
    }
    if (row.status !== 'active') {
      lost.push({ id: row.id, reason: `${row.status} ${row.last_error_code ?? ''}`.trim() });
      continue;
    }
    const tokens = openTokens(oidc.stack.keyRing, await oidc.row(row.id));
    const refreshToken = tokens.refreshToken?.reveal();
    if (refreshToken === undefined || !(await activeAtPeer(oidc, refreshToken))) {
      lost.push({ id: row.id, reason: 'active but its refresh token is not honored' });
    }
  }
  return { interrupted, lost };
}

/**
 * Waits up to {@link DRAIN_MS} until every event in Postgres has reached the receiver (by id,
 * answered 2xx), and reports the ones that did not.
 */
export async function eventCheck(world: SoakWorld): Promise<Check & { delivered: number }> {
  const deadline = Date.now() + DRAIN_MS;
  for (;;) {
    const events = await world.oidc.stack.db.db.selectFrom('events').select(['id']).execute();
    const received = new Set(
      world.receiver.received
        .filter((r) => r.status >= 200 && r.status < 300 && r.signatureOk)
        .map((r) => r.eventId),
    );
    const missing = events.filter((event) => !received.has(event.id));
    if (missing.length === 0 || Date.now() > deadline) {
      return {
        name: 'every event reaches the receiver',
        held: missing.length === 0,
        detail:
          `${events.length - missing.length} of ${events.length} events received` +
          (missing.length === 0
            ? ''
            : `; missing ${missing
                .slice(0, 5)
                .map((e) => e.id)
                .join(', ')}`),
        delivered: events.length - missing.length,
      };
    }
    await sleep(1_000);
  }
}

/** A `job failed` line a worker logged. */
interface LoggedFailure {
  readonly queue: JobName;
  readonly jobId: string;
  readonly attempt: number;
}

/**
 * No job fails silently: each job in a failed set was logged by a worker, and no refresh or
 * refresh-batch job failed its last attempt (a refresh's failures are retried by the job, then by the sweeper).
 */
export async function jobCheck(world: SoakWorld): Promise<Check> {
  const logged = loggedFailures(world);
  const loggedIds = new Set(logged.map((failure) => `${failure.queue}/${failure.jobId}`));
  const silent: string[] = [];
  let failedSet = 0;
  for (const name of JOB_NAMES) {
    const failed = await world.queues.queue(name).getJobs(['failed']);
    failedSet += failed.length;
    for (const job of failed) {
      if (!loggedIds.has(`${name}/${job.id ?? ''}`)) silent.push(`${name}/${job.id ?? '?'}`);
    }
  }
  const finalRefresh = logged.filter(
    (failure) =>
      (failure.queue === refreshJob.name && failure.attempt >= refreshJob.attempts) ||
      (failure.queue === refreshBatchJob.name && failure.attempt >= refreshBatchJob.attempts),
  );
  const byQueue = new Map<string, number>();
  for (const failure of logged) byQueue.set(failure.queue, (byQueue.get(failure.queue) ?? 0) + 1);
  const attempts = [...byQueue].map(([queue, n]) => `${queue} ${n}`).join(', ') || 'none';
  return {
    name: 'no job fails silently',
    held: silent.length === 0 && finalRefresh.length === 0,
    detail:
      `failed attempts logged (retried): ${attempts}; ${failedSet} in failed sets, ` +
      `${silent.length} of them never logged; ${finalRefresh.length} refresh jobs failed for good` +
      (silent.length === 0 ? '' : ` (${silent.slice(0, 5).join(', ')})`),
  };
}

function loggedFailures(world: SoakWorld): LoggedFailure[] {
  const failures: LoggedFailure[] = [];
  for (const service of world.oidc.stack.services) {
    if (service.name !== 'worker') continue;
    for (const line of service.output) {
      if (!line.includes('"job failed"')) continue;
      try {
        const parsed = JSON.parse(line) as Partial<LoggedFailure>;
        if (parsed.queue !== undefined && parsed.jobId !== undefined) {
          failures.push({ queue: parsed.queue, jobId: parsed.jobId, attempt: parsed.attempt ?? 0 });
        }
      } catch {
        // Not one of the logger's JSON lines.
      }
    }
  }
  return failures;
}

/** A worker's first 30 s are its warm-up (JIT, pools), not growth. */
const WORKER_WARMUP_MS = 30_000;

/**
 * Worker RSS (each process alive long enough) and the slot master's Redis memory stay flat:
 * the mean of the last third of the samples is at most 1.5 times the first third's, plus slack
 * (64 MB for a worker, 32 MB for Redis, whose completed notify jobs fill up to their cap).
 */
export function memoryCheck(samples: readonly MemorySample[]): Check {
  const notes: string[] = [];
  let held = true;
  const judge = (label: string, values: number[], slackBytes: number) => {
    if (values.length < 6) return;
    const third = Math.floor(values.length / 3);
    const first = mean(values.slice(0, third));
    const last = mean(values.slice(-third));
    const ok = last <= first * 1.5 + slackBytes;
    held &&= ok;
    notes.push(`${label} ${mb(first)}→${mb(last)} MB${ok ? '' : ' (grew)'}`);
  };
  const pids = new Set(samples.flatMap((sample) => [...sample.workerRss.keys()]));
  for (const pid of pids) {
    const lived = samples.filter((sample) => sample.workerRss.has(pid));
    const bornAt = lived[0]!.atMs;
    const values = lived
      .filter((sample) => sample.atMs - bornAt >= WORKER_WARMUP_MS)
      .map((sample) => sample.workerRss.get(pid)!);
    judge(`worker ${pid}`, values, 64 * 2 ** 20);
  }
  judge(
    'redis',
    samples.flatMap((sample) => (sample.redisBytes === undefined ? [] : [sample.redisBytes])),
    32 * 2 ** 20,
  );
  return {
    name: 'worker RSS and Redis memory flat',
    held,
    detail: notes.length === 0 ? 'too few samples' : notes.join('; '),
  };
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

import { setTimeout as sleep } from 'node:timers/promises';
import {
  eventCheck,
  grantCheck,
  jobCheck,
  memoryCheck,
  overdueCheck,
  type Check,
} from './checks.js';
import {
  inject,
  planFaults,
  type FaultKind,
  type FaultSettings,
  type PlannedFault,
} from './faults.js';
import { Disturbances, startMonitor } from './monitor.js';
import { startSoakWorld, type SoakWorld } from './world.js';

export interface SoakOptions {
  readonly minutes: number;
  readonly seed: number;
  readonly connections: number;
  /**
   * Start a killed Redis master again, to rejoin as a replica (default true). False leaves the
   * cluster degraded after the first failover; see docs/reliability.md, "Chaos soak".
   */
  readonly rejoin?: boolean;
  /** Progress lines (the CLI prints them; a test may keep them quiet). */
  readonly log?: (line: string) => void;
}

/** What one injected fault did. */
export interface FaultRecord {
  readonly kind: FaultKind;
  readonly atMs: number;
  readonly tookMs: number;
  readonly note: string;
  /** Set when the fault, or tokenlane's recovery from it, did not complete. */
  readonly error?: string;
}

export interface SoakReport {
  readonly options: Omit<SoakOptions, 'log'> & { readonly rejoin: boolean };
  readonly faults: readonly FaultRecord[];
  readonly checks: readonly Check[];
  readonly refreshes: number;
  readonly eventsDelivered: number;
  /** The fault phase, then the drain and the end checks. */
  readonly durationMs: number;
  readonly violations: readonly string[];
}

/**
 * The chaos soak: starts the world, runs the seeded fault schedule for `minutes` while the
 * invariants are sampled, lets every fault clear, then checks each invariant at the end.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const durationMs = options.minutes * 60_000;
  const plan = planFaults(options.seed, durationMs);
  const settings = { rejoin: options.rejoin ?? true, nodeLeftDown: false };
  log(
    `soak: seed ${options.seed}, ${options.connections} connections, ${options.minutes} min` +
      (settings.rejoin ? '' : ', killed Redis masters left down'),
  );
  log(`soak: faults ${plan.map((f) => `${f.kind}@${Math.round(f.atMs / 1000)}s`).join(' ')}`);
  const world = await startSoakWorld(options.connections);
  try {
    log(`soak: ${world.ids.length} connections linked; faults begin`);
    const startedAt = Date.now();
    const versionsAtStart = await tokenVersionSum(world);
    const disturbances = new Disturbances();
    const monitor = startMonitor(world, disturbances, startedAt);
    const faults: FaultRecord[] = [];
    let previousEnd = startedAt;
    for (const fault of plan) {
      // On schedule, but never before the previous fault is over.
      await sleep(
        Math.max(0, startedAt + fault.atMs - Date.now(), previousEnd + 5_000 - Date.now()),
      );
      const record = await runFault(world, fault, settings, disturbances, startedAt);
      faults.push(record);
      log(
        `soak: ${Math.round(record.atMs / 1000)}s ${record.kind}: ${record.error ?? record.note}`,
      );
      previousEnd = Date.now();
    }
    await sleep(Math.max(0, startedAt + durationMs - Date.now()));
    await monitor.checkNow();
    await monitor.stop();
    log('soak: fault phase over; draining events and checking');
    const events = await eventCheck(world);
    const checks: Check[] = [
      overdueCheck(monitor.overdue, monitor.counts().quietSamples),
      await grantCheck(world),
      events,
      await jobCheck(world),
      memoryCheck(monitor.memory),
    ];
    const failedFaults = faults.filter((fault) => fault.error !== undefined);
    const violations = [
      ...checks.filter((check) => !check.held).map((check) => `${check.name}: ${check.detail}`),
      ...failedFaults.map(
        (fault) => `${fault.kind} at ${Math.round(fault.atMs / 1000)} s: ${fault.error ?? ''}`,
      ),
    ];
    return {
      options: {
        minutes: options.minutes,
        seed: options.seed,
        connections: options.connections,
        rejoin: settings.rejoin,
      },
      faults,
      checks,
      refreshes: (await tokenVersionSum(world)) - versionsAtStart,
      eventsDelivered: events.delivered,
      durationMs: Date.now() - startedAt,
      violations,
    };
  } finally {
    await world.close();
  }
}

async function runFault(
  world: SoakWorld,
  fault: PlannedFault,
  settings: FaultSettings,
  disturbances: Disturbances,
  startedAt: number,
): Promise<FaultRecord> {
  const begun = Date.now();
  disturbances.begin(fault.kind);
  try {
    const note = await inject(world, fault, settings);
    return { kind: fault.kind, atMs: begun - startedAt, tookMs: Date.now() - begun, note };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind: fault.kind,
      atMs: begun - startedAt,
      tookMs: Date.now() - begun,
      note: '',
      error: message,
    };
  } finally {
    disturbances.end(fault.kind);
  }
}

/** Refreshes done so far: each one bumps its connection's token version. */
async function tokenVersionSum(world: SoakWorld): Promise<number> {
  const rows = await world.oidc.rows(world.ids);
  return rows.reduce((sum, row) => sum + row.token_version, 0);
}

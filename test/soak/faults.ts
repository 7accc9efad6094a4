import { setTimeout as sleep } from 'node:timers/promises';
import type { SoakWorld } from './world.js';

export const FAULT_KINDS = [
  'redis_failover',
  'worker_kill',
  'ingress_restart',
  'postgres_restart',
  'provider_503',
  'provider_429',
  'receiver_outage',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a fault may hold up while it lasts: refreshes, or webhook deliveries only. */
export const DISTURBS: Readonly<Record<FaultKind, 'refresh' | 'delivery' | 'nothing'>> = {
  redis_failover: 'refresh',
  worker_kill: 'refresh',
  ingress_restart: 'nothing',
  postgres_restart: 'refresh',
  provider_503: 'refresh',
  provider_429: 'refresh',
  receiver_outage: 'delivery',
};

export interface PlannedFault {
  readonly kind: FaultKind;
  /** When to inject it, from the start of the fault phase. */
  readonly atMs: number;
  /** How long a burst or outage lasts (bursts, outages); which worker dies (worker_kill). */
  readonly holdMs: number;
  readonly pick: number;
}

/** No fault in the first seconds (the soak's baseline) … */
export const WARMUP_MS = 10_000;
/** … nor in the last ones, so the end checks see tokenlane after every fault has cleared. */
export const TAIL_MS = 25_000;
/** Faults at least this far apart: each has cleared, and been checked quiet, before the next. */
export const SPACING_MS = 30_000;

/** A small seeded PRNG (mulberry32): the same seed gives the same fault schedule. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The fault schedule of a run of `durationMs`, drawn from `seed`: kinds in rounds (each round
 * a shuffle of every kind, so a long run injects each about equally often), a few seconds of
 * jitter on each start, and each burst or outage 8-14 s long.
 */
export function planFaults(seed: number, durationMs: number): PlannedFault[] {
  const random = seededRandom(seed);
  const count = Math.max(1, Math.floor((durationMs - WARMUP_MS - TAIL_MS) / SPACING_MS));
  const kinds: FaultKind[] = [];
  while (kinds.length < count) {
    const round = [...FAULT_KINDS];
    for (let i = round.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [round[i], round[j]] = [round[j]!, round[i]!];
    }
    kinds.push(...round);
  }
  return kinds.slice(0, count).map((kind, i) => ({
    kind,
    atMs: WARMUP_MS + i * SPACING_MS + Math.floor(random() * 4_000),
    holdMs: 8_000 + Math.floor(random() * 6_000),
    pick: random(),
  }));
}

/**
 * Whether a killed Redis master is started again (it rejoins as a replica). Without, the
 * cluster stays degraded after the first failover and later ones are skipped: the slot would
 * have no replica left to promote.
 */
export interface FaultSettings {
  readonly rejoin: boolean;
  /** Set once a master was killed and left down. */
  nodeLeftDown: boolean;
}

/** Injects `fault` and returns once it is over and what it broke has come back. */
export async function inject(
  world: SoakWorld,
  fault: PlannedFault,
  settings: FaultSettings,
): Promise<string> {
  switch (fault.kind) {
    case 'redis_failover':
      if (settings.nodeLeftDown) return 'skipped: the last failover left no replica (rejoin off)';
      settings.nodeLeftDown = !settings.rejoin;
      return redisFailover(world, settings.rejoin);
    case 'worker_kill':
      return workerKill(world, fault.pick);
    case 'ingress_restart':
      await world.oidc.stack.restartIngress();
      return 'ingress stopped (SIGTERM) and started on its port';
    case 'postgres_restart':
      await world.postgres.restart();
      return 'Postgres restarted (fast shutdown)';
    case 'provider_503':
      return providerBurst(world, fault.holdMs, { kind: 'status', status: 503 });
    case 'provider_429':
      return providerBurst(world, fault.holdMs, {
        kind: 'status',
        status: 429,
        retryAfterSeconds: 5,
      });
    case 'receiver_outage':
      await world.receiver.stop();
      await sleep(fault.holdMs);
      await world.receiver.start();
      return `webhook receiver down ${fault.holdMs} ms`;
  }
}

/**
 * SIGKILL of the master holding tokenlane's slot; once its replica is promoted the killed
 * node starts again on its data and rejoins as that replica's replica, so the next failover
 * of the same slot has somewhere to go.
 */
async function redisFailover({ cluster, prefix }: SoakWorld, rejoin: boolean): Promise<string> {
  const slotKey = `${prefix}:refresh:meta`;
  const master = await cluster.masterOf(slotKey);
  const killedAt = Date.now();
  await cluster.kill(master.port, 'SIGKILL');
  const deadline = Date.now() + 30_000;
  while (
    !(await cluster.masterOf(slotKey).then(
      (node) => node.alive(),
      () => false,
    ))
  ) {
    if (Date.now() > deadline)
      throw new Error(`no replica promoted 30 s after killing ${master.port}`);
    await sleep(100);
  }
  const promotedMs = Date.now() - killedAt;
  if (!rejoin) {
    return `master ${master.port} killed; replica promoted after ${promotedMs} ms; node left down`;
  }
  await cluster.restart(master.port);
  await cluster.waitUntilHealthy(60_000);
  return `master ${master.port} killed; replica promoted after ${promotedMs} ms; node back as replica`;
}

async function workerKill({ oidc }: SoakWorld, pick: number): Promise<string> {
  const live = oidc.stack.services.filter(
    (service) =>
      service.name === 'worker' &&
      service.child.exitCode === null &&
      service.child.signalCode === null,
  );
  const victim = live[Math.floor(pick * live.length)];
  if (victim === undefined) throw new Error('no worker running to kill');
  await victim.stop('SIGKILL');
  // A supervisor's restart delay.
  await sleep(2_000);
  await oidc.stack.startWorker();
  return `worker ${victim.child.pid} killed (SIGKILL); a new one started 2 s later`;
}

/**
 * The provider answers every token request with `mode` for `holdMs`, then normally again; over
 * once tokenlane's breaker for it is closed (its probe went through).
 */
async function providerBurst(
  { oidc }: SoakWorld,
  holdMs: number,
  mode: { kind: 'status'; status: number; retryAfterSeconds?: number },
): Promise<string> {
  const proxy = oidc.proxy!;
  proxy.setMode(mode);
  await sleep(holdMs);
  proxy.setMode({ kind: 'pass' });
  const passedAt = Date.now();
  const deadline = passedAt + 120_000;
  while (!(await providerHealthy(oidc.stack.services.map((service) => service.metricsUrl)))) {
    if (Date.now() > deadline) throw new Error('provider breaker still open 120 s after the burst');
    await sleep(500);
  }
  return `provider ${mode.status} for ${holdMs} ms; breaker closed ${Date.now() - passedAt} ms after`;
}

/** Whether no live process reports `acme` paused (`tokenlane_provider_healthy` 0). */
async function providerHealthy(metricsUrls: readonly string[]): Promise<boolean> {
  for (const url of metricsUrls) {
    const text = await fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
      (response) => (response.ok ? response.text() : ''),
      () => '',
    );
    if (/^tokenlane_provider_healthy\{provider="acme"\} 0$/m.test(text)) return false;
  }
  return true;
}

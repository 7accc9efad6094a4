import type { ConnectionId } from '@tokenlane/core';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { load, percentile, type Latency } from './http.js';
import { API_KEY, type Infra } from './infra.js';
import { startProxyTarget } from './proxy-target.js';

/** Parallel callers for the throughput comparison. */
const CALLERS = 32;
/** The rate the added latency is measured at (issue 21's goal). */
const RATE_PER_SEC = 500;

export interface PacedLatency {
  readonly requests: number;
  readonly perSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface ProxyResult {
  readonly direct: Latency;
  readonly proxied: Latency;
  /** proxied / direct requests per second (goal ≥ 0.6). */
  readonly ratio: number;
  /**
   * CPU the ingress's process spent per proxied call of the throughput run, whatever else
   * the machine did meanwhile (inline: the callers' share is in it too).
   */
  readonly ingressCpuMsPerCall: number;
  /** CPU the callers' process spent per call, direct and proxied. */
  readonly callersCpuMsPerCall: { readonly direct: number; readonly proxied: number };
  readonly pacedDirect: PacedLatency;
  readonly pacedProxied: PacedLatency;
  /** What the proxy adds at RATE_PER_SEC: p50 and p99 of proxied minus direct (goals 1, 5 ms). */
  readonly addedP50Ms: number;
  readonly addedP99Ms: number;
}

/**
 * Open-loop load: one call every 1000/rate ms whatever the answers do (a closed loop would
 * slow down with the server and hide its queueing), for `seconds`.
 */
async function paced(
  rate: number,
  seconds: number,
  call: () => Promise<boolean>,
): Promise<PacedLatency> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const times: number[] = [];
  const calls: Promise<void>[] = [];
  let errors = 0;
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    calls.push(
      call()
        .catch(() => false)
        .then((ok) => {
          times.push(performance.now() - t0);
          if (!ok) errors += 1;
        }),
    );
  }
  await Promise.all(calls);
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    requests: total,
    perSec: total / elapsed,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    errors,
  };
}

/** Where section 8's ingress runs. */
export interface ProxyBenchOptions {
  /**
   * `fork` (the default): a process of its own, logging at info to /dev/null as a deployment
   * would log. `inline`: in the bench's own process and event loop, beside the callers,
   * logging errors only (how the bench ran until 2026-12-06).
   */
  readonly ingress: 'fork' | 'inline';
  /** With `fork`: write the ingress's V8 CPU profile (`--cpu-prof`) into this directory. */
  readonly profileDir?: string | undefined;
}

interface RunningIngress {
  readonly port: number;
  readonly id: ConnectionId;
  /** CPU time (user + system, ms) the ingress's process has used so far. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

const cpuMsHere = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function inlineIngress(infra: Infra): Promise<RunningIngress> {
  const target = await startProxyTarget(infra, 'error');
  // Inline, the callers' CPU is in it too.
  return { ...target, cpuMs: () => Promise.resolve(cpuMsHere()) };
}

async function forkedIngress(
  infra: Infra,
  profileDir: string | undefined,
): Promise<RunningIngress> {
  const file = fileURLToPath(new URL('proxy-ingress.ts', import.meta.url));
  const execArgv =
    profileDir === undefined
      ? process.execArgv
      : [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  child.send({
    infra: {
      redisUrl: infra.redisUrl,
      adminUrl: infra.adminUrl,
      dir: infra.dir,
      endpointUrl: infra.endpoint.url,
    },
  });
  const [ready] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error('the forked ingress exited before it was ready');
    }),
  ])) as [{ port: number; id: ConnectionId }];
  return {
    port: ready.port,
    id: ready.id,
    cpuMs: async () => {
      const answer = once(child, 'message') as Promise<[{ cpuUs: number }]>;
      child.send('cpu');
      return (await answer)[0].cpuUs / 1000;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('stop');
      await exited;
    },
  };
}

/**
 * Section 8: the provider API proxy against direct undici calls to the same local resource
 * server in the same run: throughput with parallel callers, and the latency it adds at 500
 * requests/s. The callers run in this process, the resource server in its own, and the
 * ingress in its own too unless `inline` is asked for. Both paths use one undici Pool of
 * CALLERS keep-alive connections from the callers; the ingress reaches the resource server
 * through undici's global Agent (keep-alive, as many connections as calls in flight).
 */
export async function benchProxy(
  infra: Infra,
  requests: number,
  pacedSeconds: number,
  options: ProxyBenchOptions = { ingress: 'fork' },
): Promise<ProxyResult> {
  const running =
    options.ingress === 'inline'
      ? await inlineIngress(infra)
      : await forkedIngress(infra, options.profileDir);
  const { port, id } = running;
  const ingress = new Pool(`http://127.0.0.1:${port}`, { connections: CALLERS });
  const resource = new Pool(infra.endpoint.url, { connections: CALLERS });
  const path = 'v2/usercollection/daily_sleep?start_date=2026-12-01';
  const direct = async () => {
    const answer = await resource.request({ method: 'GET', path: `/api/${path}` });
    await answer.body.arrayBuffer();
    return answer.statusCode === 200;
  };
  const proxied = async () => {
    const answer = await ingress.request({
      method: 'GET',
      path: `/v1/connections/${id}/proxy/${path}`,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    await answer.body.arrayBuffer();
    return answer.statusCode === 200;
  };
  try {
    // Warm both paths (connections, JIT) before measuring either.
    await load(CALLERS, 500, proxied);
    await load(CALLERS, 500, direct);
    const directCpu = cpuMsHere();
    const directLoad = await load(CALLERS, requests, direct);
    const callersDirectCpuMs = cpuMsHere() - directCpu;
    const [ingressCpu, callersCpu] = [await running.cpuMs(), cpuMsHere()];
    const proxiedLoad = await load(CALLERS, requests, proxied);
    const ingressCpuMs = (await running.cpuMs()) - ingressCpu;
    const callersProxiedCpuMs = cpuMsHere() - callersCpu;
    const pacedDirect = await paced(RATE_PER_SEC, pacedSeconds, direct);
    const pacedProxied = await paced(RATE_PER_SEC, pacedSeconds, proxied);
    return {
      direct: directLoad,
      proxied: proxiedLoad,
      ratio: proxiedLoad.perSec / directLoad.perSec,
      ingressCpuMsPerCall: ingressCpuMs / requests,
      callersCpuMsPerCall: {
        direct: callersDirectCpuMs / requests,
        proxied: callersProxiedCpuMs / requests,
      },
      pacedDirect,
      pacedProxied,
      addedP50Ms: pacedProxied.p50Ms - pacedDirect.p50Ms,
      addedP99Ms: pacedProxied.p99Ms - pacedDirect.p99Ms,
    };
  } finally {
    await ingress.close();
    await resource.close();
    await running.close();
  }
}

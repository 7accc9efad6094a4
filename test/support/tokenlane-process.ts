import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLogSink, scrapeMetrics } from './run-artifacts.js';
import { recordConfigSecrets } from './secret-ledger.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A tokenlane service running as its own process, as in production. */
export interface ServiceProcess {
  readonly name: string;
  /** Every line the process wrote (stdout and stderr), for assertions and secret scans. */
  readonly output: string[];
  readonly child: ChildProcess;
  /** Its Prometheus exposition (the ingress port, or the worker's health port). */
  readonly metricsUrl: string;
  /** Keeps the current /metrics in the run directory for the secret scan (if still running). */
  saveMetrics(): Promise<void>;
  /**
   * SIGTERM (after keeping its /metrics for the secret scan), and wait for the exit code.
   * Any other signal is sent at once: fault tests kill without a scrape in between.
   */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ENTRY = {
  ingress: 'services/ingress/src/main.ts',
  worker: 'services/worker/src/main.ts',
  standalone: 'services/worker/src/standalone.ts',
} as const;

/** The providers file's entries (for their secrets); undefined when unset or not JSON. */
function readProviders(file: string | undefined): unknown {
  if (file === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // A test of a broken providers file: the service reports it, there is no secret to record.
    return undefined;
  }
}

/**
 * Starts `services/<name>` from source (tsx) with `env` on top of a minimal environment, and
 * waits until its `/readyz` at `readyUrl` answers 200. The secrets it is configured with go
 * to the run's secret ledger, and everything it prints to a log file for the scan after the
 * whole run (test/support/secret-scan.ts).
 */
export async function startService(
  name: keyof typeof ENTRY,
  env: Record<string, string>,
  readyUrl: string,
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@tokenlane/source',
      '--import',
      'tsx',
      // Traces start before the service loads (when the env names an OTLP endpoint).
      '--import',
      '@tokenlane/tracing/register',
      ENTRY[name],
    ],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  recordConfigSecrets(env, readProviders(env.TOKENLANE_PROVIDERS_FILE), `service:${name}`);
  const output: string[] = [];
  // One file per stream: chunks of stdout and stderr interleaved could split a line (and a secret).
  const collect = (stream: 'stdout' | 'stderr') => {
    const log = openLogSink(`${name}-${child.pid ?? 'nopid'}.${stream}`);
    return (chunk: Buffer) => {
      log(chunk);
      output.push(...chunk.toString().split('\n').filter(Boolean));
    };
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  const running = () => child.exitCode === null && child.signalCode === null;
  const metricsUrl = new URL('/metrics', readyUrl).href;
  const saveMetrics = async () => {
    if (running()) await scrapeMetrics(`${name}-${child.pid ?? 'nopid'}`, metricsUrl);
  };
  const service: ServiceProcess = {
    name,
    output,
    child,
    metricsUrl,
    saveMetrics,
    stop: async (signal = 'SIGTERM') => {
      if (signal === 'SIGTERM') await saveMetrics();
      if (!running()) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode}:\n${output.slice(-20).join('\n')}`);
    }
    const ready = await fetch(readyUrl).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return service;
    if (Date.now() > deadline) {
      await service.stop('SIGKILL');
      throw new Error(`${name} not ready in 30 s:\n${output.slice(-20).join('\n')}`);
    }
    await sleep(100);
  }
}

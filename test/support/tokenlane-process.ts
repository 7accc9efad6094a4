import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A tokenlane service running as its own process, as in production. */
export interface ServiceProcess {
  readonly name: string;
  /** Every line the process wrote (stdout and stderr), for assertions and secret scans. */
  readonly output: string[];
  readonly child: ChildProcess;
  /** SIGTERM, and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ENTRY = {
  ingress: 'services/ingress/src/main.ts',
  worker: 'services/worker/src/main.ts',
  standalone: 'services/worker/src/standalone.ts',
} as const;

/**
 * Starts `services/<name>` from source (tsx) with `env` on top of a minimal environment, and
 * waits until its `/readyz` at `readyUrl` answers 200.
 */
export async function startService(
  name: keyof typeof ENTRY,
  env: Record<string, string>,
  readyUrl: string,
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@tokenlane/source', '--import', 'tsx', ENTRY[name]],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const service: ServiceProcess = {
    name,
    output,
    child,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
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

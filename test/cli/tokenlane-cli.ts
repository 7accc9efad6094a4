import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli as runTokenlane } from '@tokenlane/cli';
import { memoryIo } from '../../packages/cli/src/test-support/memory-io.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** How a `tokenlane` process ended and what it printed. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `tokenlane` process still running. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Resolves once stderr matches `pattern` (e.g. the first progress line). */
  waitForStderr(pattern: RegExp): Promise<void>;
  readonly exited: Promise<CliResult>;
}

/**
 * Starts the CLI from source as operators run it (a separate process, real signals), with
 * `env` on top of a minimal environment: nothing of the test runner's leaks in.
 */
export function startCli(args: readonly string[], env: Record<string, string>): CliProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=@tokenlane/source', '--import', 'tsx', 'packages/cli/src/main.ts', ...args],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters.filter((w) => w.pattern.test(stderr))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    exited,
    waitForStderr: (pattern) =>
      pattern.test(stderr)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ pattern, resolve });
            void exited.then((result) => {
              reject(new Error(`exited (${result.code}) before ${pattern}:\n${result.stderr}`));
            });
          }),
  };
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return startCli(args, env).exited;
}

/** Parses the one JSON document a `--json` command printed. */
export function json(result: CliResult): unknown {
  if (result.code !== 0) {
    throw new Error(`exit ${result.code}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout);
}

/**
 * Runs the same CLI code in this process (no node + tsx start-up): for the checks where a
 * separate process adds nothing but seconds.
 */
export async function runInProcess(
  args: readonly string[],
  env: Record<string, string>,
): Promise<CliResult> {
  const { io, out } = memoryIo({ NODE_ENV: 'test', ...env });
  const code = await runTokenlane(args, io);
  return { code, signal: null, stdout: out.stdout, stderr: out.stderr };
}

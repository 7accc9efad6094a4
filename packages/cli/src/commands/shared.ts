import { InvalidArgumentError, type Command } from 'commander';
import type { CliSession } from '../session.js';

/** Builds the session of the command being run, with the global `--json` flag resolved. */
export type OpenSession = (command: Command) => CliSession;

/** A commander argument parser for an integer in [min, max]; anything else is exit 2. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed)) {
      throw new InvalidArgumentError('expected a whole number');
    }
    if (parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    }
    return parsed;
  };
}

/** Runs `work` until it resolves or the operator interrupts it (Ctrl-C, SIGTERM). */
export async function untilInterrupted<T>(
  session: CliSession,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const stop = session.io.onInterrupt(() => {
    controller.abort();
  });
  try {
    return await work(controller.signal);
  } finally {
    stop();
  }
}

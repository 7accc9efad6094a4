import { ConfigError } from '@tokenlane/config';
import { CommanderError } from 'commander';
import { CliError, EXIT_CODES, type ExitCode } from './errors.js';
import { buildProgram } from './program.js';
import type { CliIo } from './session.js';

/**
 * Runs one `tokenlane` invocation and returns its exit code; never exits the process itself,
 * so it can run in-process in tests. Failures become one line on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIo): ExitCode {
  // Commander has printed its own message (or the help) already.
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (error instanceof ConfigError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT_CODES.usage;
  }
  if (error instanceof CliError) {
    io.stderr.write(`tokenlane: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`tokenlane: ${message.split('\n', 1)[0] ?? 'failed'}\n`);
  return EXIT_CODES.failure;
}

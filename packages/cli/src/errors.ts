/**
 * The exit codes scripts can rely on: 0 ok, 1 the operation failed, 2 bad usage or bad
 * environment (nothing was attempted), 3 the named connection does not exist.
 */
export const EXIT_CODES = { ok: 0, failure: 1, usage: 2, notFound: 3 } as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * A failure the CLI reports as one line on stderr and turns into `exitCode`. Messages name
 * ids, queues and key ids only, never a token or a ciphertext (docs/architecture.md, rule 1).
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT_CODES.failure,
  ) {
    super(message);
  }
}

export const usageError = (message: string): CliError => new CliError(message, EXIT_CODES.usage);

export const notFoundError = (message: string): CliError =>
  new CliError(message, EXIT_CODES.notFound);

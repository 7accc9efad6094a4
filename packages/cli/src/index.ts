export { runCli } from './cli.js';
export { CliError, EXIT_CODES } from './errors.js';
export type { ExitCode } from './errors.js';
export { buildProgram } from './program.js';
export { rotateKeys } from './rotation/rotate-keys.js';
export type {
  RotateKeysOptions,
  RotationFailure,
  RotationSummary,
} from './rotation/rotate-keys.js';
export { countCiphertextsByKid, countRowsNotUnderKey } from './rotation/key-queries.js';
export type { KidCount } from './rotation/key-queries.js';
export type { CliIo } from './session.js';

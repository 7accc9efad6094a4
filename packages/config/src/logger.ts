import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

import type { LogFormat, LogLevel } from './load-config.js';

export type { Logger };

/** Field names that hold a credential wherever they appear (docs/architecture.md, rule 1). */
const SECRET_FIELDS = [
  'accessToken',
  'refreshToken',
  'idToken',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'tokenSecret',
  'oauth_token_secret',
  'oauth_verifier',
  'code',
  'codeVerifier',
  'code_verifier',
  'pin',
  'clientSecret',
  'client_secret',
  'password',
  'secret',
  'webhookSecret',
  'apiKey',
  'api_key',
] as const;

const HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'res.headers["set-cookie"]',
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
] as const;

/**
 * pino redact paths, a second net behind never logging secrets in the first place: each
 * secret field at the top level and one level down, plus credential-bearing headers.
 * Deeper nesting is not covered; note `*.code` also masks `err.code` of logged errors.
 */
export const REDACT_PATHS: readonly string[] = Object.freeze([
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
  ...HEADER_PATHS,
]);

export const REDACTION_CENSOR = '[redacted]';

export interface CreateLoggerOptions {
  readonly level: LogLevel;
  /** The service or component, logged as `name` on every line. */
  readonly name: string;
  /** Where JSON lines go; default stdout. Tests pass a memory stream. */
  readonly destination?: DestinationStream | undefined;
  /**
   * Human-readable lines (pino-pretty, in-process and synchronous) instead of JSON: for a
   * person at a terminal. Redaction runs before formatting, so it is the same either way.
   */
  readonly pretty?: boolean;
}

/**
 * Whether `npm start` should print readable lines: `TOKENLANE_LOG_FORMAT` when set, else a
 * terminal is attached and the process is not in production. Collectors read stdout through
 * a pipe, not a terminal, so they keep getting JSON.
 */
export function wantsPrettyLogs(
  config: { readonly logFormat: LogFormat | undefined; readonly nodeEnv: string },
  isTerminal: boolean,
): boolean {
  if (config.logFormat !== undefined) return config.logFormat === 'pretty';
  return isTerminal && config.nodeEnv !== 'production';
}

/** The one way tokenlane builds a pino logger, so redaction is never forgotten. */
export function createLogger({ level, name, destination, pretty }: CreateLoggerOptions): Logger {
  const options = {
    level,
    name,
    redact: { paths: [...REDACT_PATHS], censor: REDACTION_CENSOR },
  };
  if (pretty === true) {
    const colorize = destination === undefined && process.stdout.isTTY;
    const stream = PinoPretty({
      colorize,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      // One line an entry: a request's fields stay beside its message.
      singleLine: true,
      ...(destination === undefined ? {} : { destination }),
    });
    return pino(options, stream);
  }
  return destination === undefined ? pino(options) : pino(options, destination);
}

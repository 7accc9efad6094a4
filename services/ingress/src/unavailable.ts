/** Socket-level failures: the peer (Redis or Postgres) is down or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Postgres SQLSTATEs that mean "not now" rather than "bad query": class 08 (connection
 * exception), 53300 too_many_connections, 57P01–57P03 (shutdown, crash, starting up).
 */
function isPostgresUnavailable(code: string): boolean {
  return code.startsWith('08') || code === '53300' || /^57P0[1-3]$/.test(code);
}

/** Messages node-postgres, pg-pool and ioredis use for a lost or refused connection. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  "Stream isn't writeable",
  'Connection is closed',
  'Reached the max retries per request limit',
];

const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError']);

function isUnavailableOne(error: object): boolean {
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isPostgresUnavailable(code))) {
    return true;
  }
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
  return (
    typeof message === 'string' && UNAVAILABLE_MESSAGES.some((text) => message.startsWith(text))
  );
}

/**
 * True when `error` (or one of its causes, or an AggregateError member) says Redis or
 * Postgres is unreachable: the request was fine, the service is not, so answer 503.
 */
export function isUnavailableError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  if (isUnavailableOne(error)) return true;
  if (error instanceof AggregateError) {
    return error.errors.some((inner) => isUnavailableError(inner, depth + 1));
  }
  return isUnavailableError((error as { cause?: unknown }).cause, depth + 1);
}

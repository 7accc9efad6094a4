/**
 * What an API key may do. `connections:write` covers links, re-links, refresh, 401 reports and
 * revocation; `tokens:read` reading tokens; `proxy` calling providers through tokenlane
 * (without ever reading a token); `admin` the operator routes.
 */
export const API_KEY_SCOPES = [
  'connections:read',
  'connections:write',
  'tokens:read',
  'events:read',
  'migrations:write',
  /** Calls the provider's API through tokenlane; never reads a token. */
  'proxy',
  'admin',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** One configured API key: its name (logged, a metric label), its scopes and the key itself. */
export interface ApiKey {
  /** Safe to log; bare keys are named `key-<position>`. */
  readonly name: string;
  readonly scopes: ReadonlySet<ApiKeyScope>;
  /** The secret. */
  readonly key: string;
}

/** Shortest key accepted, bare or scoped. */
export const MIN_API_KEY_LENGTH = 16;

const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/**
 * Parses one `TOKENLANE_API_KEYS` entry: `name:scope+scope:key`, or a bare key (every scope,
 * as before scopes existed). An entry holding a `:` must be the scoped form: a mistyped scope
 * never falls back to a full-access bare key. Errors never quote the entry.
 */
export function parseApiKey(entry: string, position: number): ApiKey | { error: string } {
  if (!entry.includes(':')) {
    if (entry.length < MIN_API_KEY_LENGTH) {
      return { error: `must be at least ${String(MIN_API_KEY_LENGTH)} characters long` };
    }
    return { name: `key-${String(position)}`, scopes: new Set(API_KEY_SCOPES), key: entry };
  }
  const first = entry.indexOf(':');
  const name = entry.slice(0, first);
  if (!NAME.test(name)) {
    return { error: 'has a bad name: use 1-64 of a-z, 0-9, _ . - before the first ":"' };
  }
  const rest = entry.slice(first + 1);
  const scopes = new Set<ApiKeyScope>();
  let at = 0;
  for (;;) {
    const scope = API_KEY_SCOPES.find((known) => rest.startsWith(known, at));
    if (scope === undefined) {
      return {
        error: `(key "${name}") has an unknown scope: use name:scope+scope:key with scopes from ${API_KEY_SCOPES.join(', ')}`,
      };
    }
    scopes.add(scope);
    at += scope.length;
    if (rest[at] === '+') at += 1;
    else if (rest[at] === ':') break;
    else {
      return { error: `(key "${name}") is not name:scope+scope:key` };
    }
  }
  const key = rest.slice(at + 1);
  if (key.length < MIN_API_KEY_LENGTH) {
    return {
      error: `(key "${name}") must have a key of at least ${String(MIN_API_KEY_LENGTH)} characters`,
    };
  }
  return { name, scopes, key };
}

/** The names bare keys get (`key-<position>`): a scoped key may not claim one. */
const RESERVED_NAME = /^key-\d+$/;

/**
 * What is wrong with the list as a whole, or undefined: names must be unique (they label
 * metrics, logs and audit events: two keys of one name could not be told apart), and no
 * scoped key may take a bare key's `key-N` name. Never quotes a key.
 */
export function apiKeyListProblem(entries: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const parsed = parseApiKey(entry, i + 1);
    if ('error' in parsed) continue;
    if (entry.includes(':') && RESERVED_NAME.test(parsed.name)) {
      return `entry ${String(i + 1)} (key "${parsed.name}") uses a reserved name: key-N names the bare keys`;
    }
    if (seen.has(parsed.name)) {
      return `entry ${String(i + 1)} repeats the name "${parsed.name}": key names must be unique`;
    }
    seen.add(parsed.name);
  }
  return undefined;
}

/** Every entry parsed; call on entries the config already checked. */
export function parseApiKeys(entries: readonly string[]): ApiKey[] {
  return entries.map((entry, i) => {
    const parsed = parseApiKey(entry, i + 1);
    if ('error' in parsed) throw new Error(`TOKENLANE_API_KEYS: ${parsed.error}`);
    return parsed;
  });
}

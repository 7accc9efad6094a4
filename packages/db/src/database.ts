import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.js';

/** Where the data lives: a Postgres URL, or an embedded PGlite directory. */
export interface DatabaseOptions {
  /** Postgres connection URL; when set, `dataDir` is ignored. */
  readonly url?: string | undefined;
  /** PGlite data directory, or `'memory://'` for a throwaway in-memory database. */
  readonly dataDir?: string | undefined;
  readonly pool?: { readonly max?: number | undefined } | undefined;
  /** Errors of idle pooled connections (Postgres restarted, network cut); log them. */
  readonly onError?: ((error: Error) => void) | undefined;
}

export type DatabaseKind = 'postgres' | 'pglite';

/** An open database and the one way to close it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** Ends the pool or closes PGlite; safe to call twice. */
  close(): Promise<void>;
}

const INT8_OID = 20;

/**
 * int8 arrives as text; a number is what callers expect for `seq` and `count(*)`. A value
 * past 2^53 would silently lose digits as a number, so it fails loudly instead.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 ${text} exceeds 2^53`);
  return value;
}

/** Opens Postgres (pg pool) when `url` is set, else PGlite under `dataDir`. */
export async function createDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url, options);
  if (options.dataDir) return openPglite(options.dataDir);
  throw new Error('createDatabase needs a Postgres `url` or a PGlite `dataDir`');
}

function openPostgres(url: string, options: DatabaseOptions): DatabaseHandle {
  // Per-pool overrides: pg's global parsers would leak into every other pg user in the process.
  // timestamptz already parses to Date by default.
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pool?.max ?? 10,
    types,
    application_name: 'tokenlane',
  });
  // Without a listener, an idle client's error (e.g. Postgres restarting) crashes the process.
  // pg-pool drops its own listener while a client is checked out: a connection cut mid-query
  // would emit an unhandled 'error' and kill the process (the query itself still rejects).
  // An idle client's error reaches both listeners as the same object: report it once.
  const reported = new WeakSet<Error>();
  const report = (error: Error) => {
    if (reported.has(error)) return;
    reported.add(error);
    options.onError?.(error);
  };
  pool.on('error', report);
  pool.on('connect', (client) => {
    client.on('error', report);
  });
  return handle(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir === 'memory://';
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, { parsers: { [INT8_OID]: parseInt8 } });
  // Surface a corrupt or locked data directory here, not on the first query.
  await pglite.waitReady;
  return handle(new Kysely<Database>({ dialect: new PGliteDialect(pglite) }), 'pglite');
}

function handle(db: Kysely<Database>, kind: DatabaseKind): DatabaseHandle {
  let closing: Promise<void> | undefined;
  return {
    db,
    kind,
    close: () => (closing ??= db.destroy()),
  };
}

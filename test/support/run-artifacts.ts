import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { readLedger, runSubdir } from './secret-ledger.js';
import { SecretMatcher, describeHits } from './secret-scan.js';
import { checkDumpedRows } from './secret-scan-postgres.js';

/**
 * What the tests leave for the secret scan after the whole run (test/support/secret-scan.ts):
 * log lines, /metrics scrapes and database dumps, as files in the run directory.
 */

const unique = (label: string) =>
  `${label.replace(/[^\w.-]/g, '_')}-${process.pid}-${randomBytes(3).toString('hex')}`;

/**
 * A log file for one output stream of a process or runtime. Every call appends the text as
 * given (synchronously: nothing lost when a fork exits), so a line split across chunks stays
 * whole in the file.
 */
export function openLogSink(label: string): (text: string | Uint8Array) => void {
  const file = join(runSubdir('logs'), `${unique(label)}.log`);
  return (text) => {
    appendFileSync(file, text);
  };
}

/** Keeps one /metrics exposition for the scan. */
export function saveMetrics(label: string, text: string): void {
  writeFileSync(join(runSubdir('metrics'), `${unique(label)}.prom`), text);
}

/** Scrapes `url` (a process's /metrics) into the run directory; a process already gone is skipped. */
export async function scrapeMetrics(label: string, url: string): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
  if (response?.ok !== true) return;
  saveMetrics(label, await response.text());
}

/** Keeps a text (a Redis snapshot of a Redis the final scan cannot reach) for the scan. */
export function saveRedisSnapshot(label: string, text: string): void {
  writeFileSync(join(runSubdir('redis'), `${unique(label)}.txt`), text);
}

/**
 * Dumps every row of every table of the database at `url` into the run directory, one
 * `{"table": …, "row": {…}}` line per row, and returns the lines. `undefined` when the database
 * does not exist (already dropped).
 */
export async function dumpDatabase(url: string, label: string): Promise<string[] | undefined> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return undefined;
    throw error;
  }
  try {
    const tables = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2`,
    );
    const lines: string[] = [];
    for (const { schema, name } of tables.rows) {
      const table = `${schema}.${name}`;
      const rows = await client.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${schema}"."${name}" t`,
      );
      for (const { row } of rows.rows)
        lines.push(`{"table":${JSON.stringify(table)},"row":${row}}`);
    }
    writeFileSync(
      join(runSubdir('db'), `${unique(label)}.jsonl`),
      lines.map((l) => `${l}\n`).join(''),
    );
    return lines;
  } finally {
    await client.end();
  }
}

/**
 * Dumps a test database before it is dropped and checks it against the ledger as of now:
 * Postgres holds only ciphertext (no ledger secret in any column, every `*_enc` value a
 * well-formed ciphertext). Returns a failure message, or undefined when clean.
 */
export async function dumpAndCheckDatabase(
  url: string,
  label: string,
): Promise<string | undefined> {
  const lines = await dumpDatabase(url, label);
  if (lines === undefined) return undefined;
  const check = checkDumpedRows(lines, new SecretMatcher(readLedger()), `database ${label}`);
  if (check.hits.length === 0 && check.malformed.length === 0) return undefined;
  return [
    `database ${label} holds secrets in plaintext (${check.hits.length} hits, ${check.malformed.length} malformed ciphertexts):`,
    describeHits(check.hits),
    ...check.malformed.slice(0, 20).map((where) => `  not a ciphertext: ${where}`),
  ].join('\n');
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SECRET_KINDS, readLedger, type SecretKind } from './secret-ledger.js';
import {
  MIN_SECRET_LENGTH,
  SecretMatcher,
  describeHits,
  scanRedis,
  type SecretHit,
} from './secret-scan.js';
import { CiphertextOpener, checkDumpedRows } from './secret-scan-postgres.js';

/** What the scan after the whole run read and found. */
export interface SecretScanReport {
  readonly ledger: number;
  readonly byKind: Readonly<Record<SecretKind, number>>;
  readonly redis: { readonly keys: number; readonly values: number };
  readonly logs: FilesRead;
  readonly metrics: FilesRead;
  readonly redisSnapshots: FilesRead;
  readonly db: FilesRead & {
    readonly rows: number;
    readonly ciphertexts: number;
    /** Ciphertexts a key of the run opened, and how many of those the ledger held. */
    readonly opened: number;
    readonly known: number;
    /** Plaintexts no peer recorded (the demo provider's tokens, …): scanned for as well. */
    readonly recovered: number;
  };
  readonly hits: readonly SecretHit[];
  /** Reasons the scan itself cannot be trusted (an empty ledger, unreadable keys, …). */
  readonly problems: readonly string[];
}

interface FilesRead {
  readonly files: number;
  readonly lines: number;
}

function filesOf(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .sort()
        .map((name) => join(dir, name))
    : [];
}

function scanFiles(dir: string, matcher: SecretMatcher, hits: SecretHit[]): FilesRead {
  let lines = 0;
  const files = filesOf(dir);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    lines += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    for (const hit of matcher.scan(text, file)) {
      const line = text.slice(0, hit.offset).split('\n').length;
      hits.push({ ...hit, where: `${file}:${line}` });
    }
  }
  return { files: files.length, lines };
}

/**
 * Scans, for every secret in the run's ledger and every token the run's keys open in the
 * database dumps (raw, URL-encoded, JSON-escaped and base64 forms): every key and value of the
 * shared Redis, every log file, every /metrics scrape, every Redis snapshot and every database
 * dump in the run directory, and checks that the dumped `*_enc` columns hold only ciphertext.
 * `minimums` guards against a scan that cannot fail: fewer ledger entries of a kind than that
 * is a problem, as is an empty ledger while tokenlane ran.
 */
export async function runSecretScan(options: {
  readonly runDir: string;
  readonly redisUrl: string;
  readonly minimums?: Partial<Record<SecretKind, number>>;
}): Promise<SecretScanReport> {
  const ledger = readLedger(options.runDir);
  const dumps = filesOf(join(options.runDir, 'db')).map((file) => ({
    file,
    lines: readFileSync(file, 'utf8').split('\n'),
  }));
  const opener = new CiphertextOpener(ledger);
  for (const { file, lines } of dumps) opener.openDump(lines, file);
  const recovered = opener.result.recovered.filter(
    (entry) => entry.value.length >= MIN_SECRET_LENGTH,
  );
  const matcher = new SecretMatcher([...ledger, ...recovered]);
  const byKind = Object.fromEntries(SECRET_KINDS.map((kind) => [kind, 0])) as Record<
    SecretKind,
    number
  >;
  for (const entry of ledger) byKind[entry.kind] += 1;
  const problems: string[] = [];
  const hits: SecretHit[] = [];

  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let redisScan;
  try {
    await redis.connect();
    redisScan = await scanRedis(redis, matcher);
  } finally {
    redis.disconnect();
  }
  hits.push(...redisScan.hits);
  if (redisScan.unreadable.length > 0) {
    problems.push(`Redis keys of a type the scan cannot read: ${redisScan.unreadable.join(', ')}`);
  }

  const logs = scanFiles(join(options.runDir, 'logs'), matcher, hits);
  const metrics = scanFiles(join(options.runDir, 'metrics'), matcher, hits);
  const redisSnapshots = scanFiles(join(options.runDir, 'redis'), matcher, hits);
  let rows = 0;
  let ciphertexts = 0;
  let dbLines = 0;
  for (const { file, lines } of dumps) {
    dbLines += lines.length - 1;
    const check = checkDumpedRows(lines, matcher, file);
    rows += check.rows;
    ciphertexts += check.ciphertexts;
    hits.push(...check.hits);
    problems.push(...check.malformed.map((where) => `not a ciphertext: ${where}`));
  }

  const tooShort = ledger.filter((entry) => entry.value.length < MIN_SECRET_LENGTH);
  if (tooShort.length > 0) {
    problems.push(
      `ledger values too short to scan for: ${tooShort.map((e) => `${e.kind} from ${e.source}`).join(', ')}`,
    );
  }
  // Log files come only from tokenlane processes and runtimes, which record their configured
  // keys; database dumps alone (unit tests of the db package) bring no secret to the ledger.
  if (ledger.length === 0 && logs.files > 0) {
    problems.push('tokenlane ran but the secret ledger is empty: the scan would prove nothing');
  }
  for (const [kind, minimum] of Object.entries(options.minimums ?? {})) {
    if (byKind[kind as SecretKind] < minimum) {
      problems.push(
        `the ledger holds ${byKind[kind as SecretKind]} ${kind} entries, fewer than the ${minimum} a full run records`,
      );
    }
  }
  return {
    ledger: ledger.length,
    byKind,
    redis: { keys: redisScan.keys, values: redisScan.values },
    logs,
    metrics,
    redisSnapshots,
    db: {
      files: dumps.length,
      lines: dbLines,
      rows,
      ciphertexts,
      opened: opener.result.opened,
      known: opener.result.known,
      recovered: recovered.length,
    },
    hits,
    problems,
  };
}

/** The one-line summary printed after every run and kept for docs/reliability.md. */
export function summarize(report: SecretScanReport): string {
  const kinds = Object.entries(report.byKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  return (
    `secret scan: ${report.ledger} secrets in ledger (${kinds}); ` +
    `Redis ${report.redis.keys} keys / ${report.redis.values} values; ` +
    `logs ${report.logs.files} files / ${report.logs.lines} lines; ` +
    `metrics ${report.metrics.files} scrapes / ${report.metrics.lines} lines; ` +
    `Redis snapshots ${report.redisSnapshots.files}; ` +
    `Postgres ${report.db.files} database dumps / ${report.db.rows} rows / ${report.db.ciphertexts} ciphertexts ` +
    `(${report.db.opened} opened with a run key: ${report.db.known} recorded by a peer, ${report.db.recovered} more scanned for); ` +
    `hits=${report.hits.length}` +
    (report.problems.length > 0 ? `; problems=${report.problems.length}` : '')
  );
}

/** The failure message: every hit (secrets masked) and every problem. */
export function describeFailure(report: SecretScanReport, runDir: string): string {
  return [
    `secret scan failed (${report.hits.length} hits, ${report.problems.length} problems); run directory kept: ${runDir}`,
    describeHits(report.hits, 50),
    ...report.problems.map((problem) => `  problem: ${problem}`),
  ]
    .filter((line) => line !== '')
    .join('\n');
}

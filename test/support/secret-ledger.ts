import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApiKey } from '@tokenlane/config';

/**
 * The per-run directory the global setup creates: the secret ledger, every log line of every
 * tokenlane process and in-process runtime, /metrics scrapes and database dumps. Inherited by
 * vitest's worker forks and by the child processes they start.
 */
export const RUN_DIR_ENV = 'TOKENLANE_TEST_RUN_DIR';

/** What kind of secret a ledger line holds (docs/architecture.md, rule 1 lists what must never leak). */
export const SECRET_KINDS = [
  'access_token',
  'refresh_token',
  'id_token',
  'authorization_code',
  'pkce_verifier',
  'oauth1_access_token',
  'oauth1_token_secret',
  'oauth1_verifier',
  'pin',
  'client_secret',
  'webhook_secret',
  'api_key',
  'encryption_key',
  'admin_password',
] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** One secret a peer issued or received, or a stack was configured with. */
export interface LedgerEntry {
  readonly kind: SecretKind;
  readonly value: string;
  /** Who recorded it (peer or stack), for the report of a hit. */
  readonly source: string;
}

/** The run directory; throws outside vitest's global setup so a ledger can never stay silently empty. */
export function runDir(): string {
  const dir = process.env[RUN_DIR_ENV];
  if (!dir)
    throw new Error(`${RUN_DIR_ENV} is not set: run the tests through vitest's global setup`);
  return dir;
}

/** `<run dir>/<sub>`, created on first use. */
export function runSubdir(sub: 'ledger' | 'logs' | 'metrics' | 'db' | 'redis'): string {
  const dir = join(runDir(), sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const recorded = new Set<string>();

/**
 * Appends one secret to the run's ledger. Synchronous and one file per process, so lines from
 * parallel forks never interleave and nothing is lost when a fork exits.
 */
export function recordSecret(kind: SecretKind, value: string | undefined, source: string): void {
  if (value === undefined || value === '') return;
  const key = `${kind}\0${value}`;
  if (recorded.has(key)) return;
  recorded.add(key);
  const entry: LedgerEntry = { kind, value, source };
  appendFileSync(join(runSubdir('ledger'), `${process.pid}.jsonl`), `${JSON.stringify(entry)}\n`);
}

/**
 * Records the secrets a tokenlane process or runtime is configured with: API keys, encryption
 * keys (the key bytes, not the kid), the outgoing webhook secret, the dashboard password, and
 * every client and webhook secret in the providers file.
 */
export function recordConfigSecrets(
  env: Readonly<Record<string, string | undefined>>,
  providers: unknown,
  source: string,
): void {
  for (const entry of env.TOKENLANE_API_KEYS?.split(',') ?? []) {
    // A scoped entry is `name:scope+scope:key`: the key is the secret (the name is logged).
    const parsed = parseApiKey(entry.trim(), 0);
    recordSecret('api_key', 'key' in parsed ? parsed.key : entry.trim(), source);
  }
  for (const entry of env.TOKENLANE_ENCRYPTION_KEYS?.split(',') ?? []) {
    recordSecret('encryption_key', entry.slice(entry.indexOf(':') + 1).trim(), source);
  }
  recordSecret('webhook_secret', env.TOKENLANE_WEBHOOK_SECRET, source);
  recordSecret('admin_password', env.TOKENLANE_ADMIN_PASSWORD, source);
  if (typeof providers !== 'object' || providers === null) return;
  for (const [id, entry] of Object.entries(providers)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { clientSecret, webhookSecret } = entry as Record<string, unknown>;
    if (typeof clientSecret === 'string')
      recordSecret('client_secret', clientSecret, `${source}:${id}`);
    if (typeof webhookSecret === 'string') {
      recordSecret('webhook_secret', webhookSecret, `${source}:${id}`);
    }
  }
}

/** Every ledger line every process of the run wrote so far, one entry per distinct value. */
export function readLedger(dir = runDir()): LedgerEntry[] {
  const ledgerDir = join(dir, 'ledger');
  if (!existsSync(ledgerDir)) return [];
  const byValue = new Map<string, LedgerEntry>();
  for (const file of readdirSync(ledgerDir).sort()) {
    const lines = readFileSync(join(ledgerDir, file), 'utf8').split('\n');
    // The last piece is '' after a complete line, or a line another fork is still writing.
    lines.pop();
    for (const line of lines) {
      const entry = JSON.parse(line) as LedgerEntry;
      if (!byValue.has(entry.value)) byValue.set(entry.value, entry);
    }
  }
  return [...byValue.values()];
}

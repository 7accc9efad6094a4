import { KeyRing, type Ciphertext } from '@tokenlane/vault';
import type { LedgerEntry, SecretKind } from './secret-ledger.js';
import type { SecretHit, SecretMatcher } from './secret-scan.js';

/**
 * The Postgres half of the secret scan: database dumps (`{"table": "<schema>.<table>", "row":
 * {…}}` lines, see run-artifacts.ts) must hold only ciphertext, and the ciphertexts the run's
 * own keys open give the scan every token tokenlane stored, recorded by a peer or not.
 */

/** The `v1.<kid>.<iv>.<ciphertext+tag>` envelope (vault's format), by shape. */
const ENVELOPE = /^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

interface DumpedRow {
  readonly table: string;
  readonly row: Readonly<Record<string, unknown>>;
}

function parseLines(lines: readonly string[]): DumpedRow[] {
  return lines.filter((line) => line !== '').map((line) => JSON.parse(line) as DumpedRow);
}

/** What a check of dumped rows found. */
export interface RowsCheck {
  readonly rows: number;
  /** Non-null values of `*_enc` columns. */
  readonly ciphertexts: number;
  /** `*_enc` values not in the ciphertext envelope: plaintext where ciphertext belongs. */
  readonly malformed: string[];
  readonly hits: SecretHit[];
}

/**
 * Checks dumped rows: no secret in any column (ciphertext columns included: the plaintext may
 * not sit beside or inside them) and every `*_enc` value in the ciphertext envelope.
 */
export function checkDumpedRows(
  lines: readonly string[],
  matcher: SecretMatcher,
  where: string,
): RowsCheck {
  const malformed: string[] = [];
  const hits: SecretHit[] = [];
  let rows = 0;
  let ciphertexts = 0;
  for (const { table, row } of parseLines(lines)) {
    rows += 1;
    for (const [column, value] of Object.entries(row)) {
      if (value === null) continue;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      hits.push(...matcher.scan(text, `${where} ${table}.${column}`));
      if (!column.endsWith('_enc')) continue;
      ciphertexts += 1;
      if (!ENVELOPE.test(text)) malformed.push(`${where} ${table}.${column}`);
    }
  }
  return { rows, ciphertexts, malformed, hits };
}

/** The kind of secret each ciphertext column holds. */
const COLUMN_KINDS: Readonly<Record<string, SecretKind>> = {
  access_token_enc: 'access_token',
  refresh_token_enc: 'refresh_token',
  token_secret_enc: 'oauth1_token_secret',
  code_enc: 'authorization_code',
  code_verifier_enc: 'pkce_verifier',
  request_token_secret_enc: 'oauth1_token_secret',
};

/** What the run's keys opened. */
export interface OpenedCiphertexts {
  /** Ciphertexts a ledger key opened. */
  opened: number;
  /** Plaintexts the ledger holds (a peer recorded them). */
  known: number;
  /** Plaintexts no peer recorded (e.g. the demo provider's tokens): scanned for too. */
  readonly recovered: LedgerEntry[];
}

/**
 * Opens every `*_enc` value a ledger encryption key opens (the associated data binds it to
 * `<table>`, the row id and the field: the column without `_enc`, or its first word pair for
 * `request_token_secret_enc`), and returns the plaintexts the ledger does not hold yet.
 */
export class CiphertextOpener {
  readonly result: OpenedCiphertexts = { opened: 0, known: 0, recovered: [] };
  private readonly keys: string[];
  private readonly known: Set<string>;
  private readonly rings = new Map<string, KeyRing | null>();
  private lastKey = 0;

  constructor(ledger: readonly LedgerEntry[]) {
    this.keys = ledger.filter((entry) => entry.kind === 'encryption_key').map((e) => e.value);
    this.known = new Set(ledger.map((entry) => entry.value));
  }

  openDump(lines: readonly string[], where: string): void {
    for (const { table, row } of parseLines(lines)) {
      const rowId = row.id;
      if (typeof rowId !== 'string') continue;
      for (const [column, kind] of Object.entries(COLUMN_KINDS)) {
        const value = row[column];
        if (typeof value !== 'string' || !ENVELOPE.test(value)) continue;
        const plain = this.open(value, table.replace(/^public\./, ''), rowId, column);
        if (plain === undefined) continue;
        this.result.opened += 1;
        if (this.known.has(plain)) {
          this.result.known += 1;
          continue;
        }
        this.known.add(plain);
        this.result.recovered.push({ kind, value: plain, source: `${where} ${table}.${column}` });
      }
    }
  }

  private open(value: string, table: string, rowId: string, column: string): string | undefined {
    const kid = value.split('.')[1] ?? '';
    const stripped = column.replace(/_enc$/, '');
    const fields = [stripped, stripped.replace(/_secret$/, '')];
    // The key that opened the previous value first: a database is written under one key.
    const order = [this.lastKey, ...this.keys.keys()];
    for (const index of order) {
      const key = this.keys[index];
      if (key === undefined) continue;
      const ring = this.ring(kid, key);
      if (ring === undefined) continue;
      for (const field of fields) {
        try {
          const plain = ring.decrypt(value as Ciphertext, { table, rowId, field });
          this.lastKey = index;
          return plain;
        } catch {
          // Not this key, or not this field.
        }
      }
    }
    return undefined;
  }

  private ring(kid: string, key: string): KeyRing | undefined {
    const spec = `${kid}:${key}`;
    if (!this.rings.has(spec)) {
      let ring: KeyRing | null = null;
      try {
        ring = KeyRing.parse(spec);
      } catch {
        // Not a key spec vault accepts: nothing it could have written.
      }
      this.rings.set(spec, ring);
    }
    return this.rings.get(spec) ?? undefined;
  }
}

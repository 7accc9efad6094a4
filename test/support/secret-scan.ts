import type { Redis } from 'ioredis';
import type { LedgerEntry } from './secret-ledger.js';

/** Shorter values would match by chance in megabytes of logs; none of the ledger's is. */
export const MIN_SECRET_LENGTH = 8;

/** How a secret was written where it was found. */
export type SecretForm = 'raw' | 'url-encoded' | 'json-escaped' | 'base64' | 'base64url';

/** One secret found where it must not be. */
export interface SecretHit {
  readonly kind: LedgerEntry['kind'];
  readonly source: string;
  readonly form: SecretForm;
  /** File and line, Redis key, or table and column. */
  readonly where: string;
  /** Where in the scanned text the hit starts. */
  readonly offset: number;
  /** The text around the hit, with the secret itself replaced by `<kind>`. */
  readonly context: string;
}

interface Needle {
  readonly text: string;
  readonly entry: LedgerEntry;
  readonly form: SecretForm;
}

/**
 * The base64 text of `value` wherever it sits inside a longer base64 string (a Basic
 * `Authorization` header, a JWT segment): one core per byte alignment, without the edge
 * characters that depend on the neighbouring bytes.
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    cores.push(encoded.slice(first, end));
  }
  return cores;
}

function needlesOf(entry: LedgerEntry): Needle[] {
  const { value } = entry;
  const forms: [SecretForm, string][] = [
    ['raw', value],
    ['url-encoded', encodeURIComponent(value)],
    ['url-encoded', new URLSearchParams({ v: value }).toString().slice(2)],
    ['json-escaped', JSON.stringify(value).slice(1, -1)],
  ];
  for (const core of base64Cores(value)) {
    forms.push(['base64', core], ['base64url', core.replace(/\+/g, '-').replace(/\//g, '_')]);
  }
  const seen = new Set<string>();
  const needles: Needle[] = [];
  for (const [form, text] of forms) {
    if (text.length < MIN_SECRET_LENGTH || seen.has(text)) continue;
    seen.add(text);
    needles.push({ text, entry, form });
  }
  return needles;
}

const WINDOW = MIN_SECRET_LENGTH;
const BASE = 31;
const BASE_POW = Array.from({ length: WINDOW - 1 }).reduce<number>(
  (power) => Math.imul(power, BASE),
  1,
);
const BLOOM_BITS = 22;

function windowHash(text: string, start: number): number {
  let hash = 0;
  for (let i = start; i < start + WINDOW; i += 1)
    hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * Finds every ledger secret (and its encoded forms) in a text in one pass: a rolling hash of
 * the last {@link MIN_SECRET_LENGTH} characters of each needle (the random end: many secrets
 * share a prefix such as `<client>-secret-`), a bit table to skip most positions, and an
 * exact comparison on a candidate. Thousands of secrets over tens of megabytes take seconds.
 */
export class SecretMatcher {
  readonly secrets: number;
  /** Ledger entries too short to search for without false hits (reported, never silent). */
  readonly tooShort: readonly LedgerEntry[];
  private readonly byHash = new Map<number, Needle[]>();
  private readonly bloom = new Uint8Array(1 << BLOOM_BITS);

  constructor(entries: readonly LedgerEntry[]) {
    this.tooShort = entries.filter((entry) => entry.value.length < MIN_SECRET_LENGTH);
    this.secrets = entries.length - this.tooShort.length;
    for (const entry of entries) {
      if (entry.value.length < MIN_SECRET_LENGTH) continue;
      for (const needle of needlesOf(entry)) {
        const hash = windowHash(needle.text, needle.text.length - WINDOW);
        this.bloom[hash & ((1 << BLOOM_BITS) - 1)] = 1;
        const list = this.byHash.get(hash);
        if (list === undefined) this.byHash.set(hash, [needle]);
        else list.push(needle);
      }
    }
  }

  /** Every hit in `text`; `where` names the place for the report. */
  scan(text: string, where: string): SecretHit[] {
    const hits: SecretHit[] = [];
    if (this.byHash.size === 0 || text.length < WINDOW) return hits;
    const mask = (1 << BLOOM_BITS) - 1;
    let hash = windowHash(text, 0);
    for (let i = 0; ; i += 1) {
      if (this.bloom[hash & mask] === 1) {
        for (const needle of this.byHash.get(hash) ?? []) {
          const start = i + WINDOW - needle.text.length;
          if (start >= 0 && text.startsWith(needle.text, start)) {
            hits.push(hitAt(text, start, needle, where));
          }
        }
      }
      if (i + WINDOW >= text.length) break;
      hash =
        (Math.imul((hash - Math.imul(text.charCodeAt(i), BASE_POW)) | 0, BASE) +
          text.charCodeAt(i + WINDOW)) |
        0;
    }
    return hits;
  }
}

function hitAt(text: string, at: number, needle: Needle, where: string): SecretHit {
  const before = text.slice(Math.max(0, at - 60), at);
  const after = text.slice(at + needle.text.length, at + needle.text.length + 60);
  return {
    kind: needle.entry.kind,
    source: needle.entry.source,
    form: needle.form,
    where,
    offset: at,
    context: `${before}<${needle.entry.kind}>${after}`.replace(/\s+/g, ' '),
  };
}

/** One line per hit, for a failure message (the secrets themselves stay out of it). */
export function describeHits(hits: readonly SecretHit[], limit = 20): string {
  const lines = hits
    .slice(0, limit)
    .map(
      (hit) => `  ${hit.kind} (${hit.form}, from ${hit.source}) in ${hit.where}: …${hit.context}…`,
    );
  if (hits.length > limit) lines.push(`  … and ${hits.length - limit} more`);
  return lines.join('\n');
}

/** What a Redis scan read. */
export interface RedisScan {
  readonly keys: number;
  readonly values: number;
  readonly hits: SecretHit[];
  /** Keys of a type the scan cannot read (module types): listed, never skipped silently. */
  readonly unreadable: string[];
}

/**
 * Reads every key matching `match` and every value of it, whatever the type (strings,
 * hashes, lists, sets, sorted sets with their members, streams), as bytes, and looks for the
 * matcher's secrets in key names and values.
 */
export async function scanRedis(
  redis: Redis,
  matcher: SecretMatcher,
  match = '*',
): Promise<RedisScan> {
  const result: RedisScan = { keys: 0, values: 0, hits: [], unreadable: [] };
  let values = 0;
  let keys = 0;
  let cursor = '0';
  do {
    const [next, page] = await redis.scanBuffer(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next.toString();
    await Promise.all(
      page.map(async (key) => {
        const name = key.toString('latin1');
        keys += 1;
        const parts = await readKey(redis, key);
        if (parts === undefined) {
          result.unreadable.push(name);
          return;
        }
        values += parts.length;
        for (const text of [name, ...parts.map((part) => part.toString('latin1'))]) {
          result.hits.push(...matcher.scan(text, `redis key ${name}`));
        }
      }),
    );
  } while (cursor !== '0');
  return { ...result, keys, values };
}

async function readKey(redis: Redis, key: Buffer): Promise<Buffer[] | undefined> {
  switch (await redis.type(key)) {
    case 'none':
      return [];
    case 'string':
      return [(await redis.getBuffer(key)) ?? Buffer.alloc(0)];
    case 'hash':
      return Object.entries(await redis.hgetallBuffer(key)).flatMap(([field, value]) => [
        Buffer.from(field, 'latin1'),
        value,
      ]);
    case 'list':
      return redis.lrangeBuffer(key, 0, -1);
    case 'set':
      return redis.smembersBuffer(key);
    case 'zset':
      return redis.zrangeBuffer(key, 0, -1);
    case 'stream':
      return (await redis.xrangeBuffer(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
    default:
      return undefined;
  }
}

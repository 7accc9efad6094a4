import { isIP } from 'node:net';

import {
  KeyRing,
  STANDARD_WEBHOOK_SECRET_PREFIX,
  VaultError,
  standardWebhookKey,
} from '@tokenlane/vault';
import { z } from 'zod';

// Field schemas for env values. Each issue message states what is expected, written to
// follow the variable name ("PORT must be …"). The value is echoed, safely, only by
// `fromZodIssue` (config-error.ts), so no message here ever includes it.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** How log lines are written: JSON for machines, readable for a person at a terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;

/** A whole number in `[min, max]`. */
export function integer(min: number, max: number) {
  const expected = `must be an integer from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,15}$/, expected)
    .transform(Number)
    .pipe(z.number().min(min, expected).max(max, expected));
}

export const port = () => integer(1, 65_535);

/** A decimal fraction such as `0.2`, within bounds. */
export function fraction(min: number, max: number) {
  const expected = `must be a number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d(\.\d{1,6})?$/, expected)
    .transform(Number)
    .pipe(z.number().min(min, expected).max(max, expected));
}

interface UrlRules {
  readonly protocols: readonly string[];
  readonly expected: string;
  /**
   * For URLs compared or concatenated as text (return-URL prefixes, the public URL): no
   * userinfo, query or hash, and returned WHATWG-normalized (`https://a.b` → `https://a.b/`),
   * so the prefix `https://app.example` cannot match `https://app.example.evil`.
   */
  readonly bare?: boolean;
}

/** A URL with one of `protocols`; connection URLs are returned exactly as written. */
export function url({ protocols, expected, bare = false }: UrlRules) {
  return z.string().transform((raw, ctx) => {
    const parsed = parseUrl(raw);
    if (parsed === undefined || !protocols.includes(parsed.protocol)) {
      ctx.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    }
    if (bare && (parsed.username || parsed.password || parsed.search || parsed.hash)) {
      ctx.addIssue({ code: 'custom', message: `${expected} without credentials, query or #` });
      return z.NEVER;
    }
    return bare ? parsed.href : raw;
  });
}

export const httpUrl = (expected: string, bare = false) =>
  url({ protocols: ['http:', 'https:'], expected, bare });

/** `host:port` of a server (a Redis Cluster node). */
export const hostPort = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port')
    .transform((raw) => {
      const at = raw.lastIndexOf(':');
      return { host: raw.slice(0, at), port: Number(raw.slice(at + 1)) };
    })
    .refine((node) => node.port >= 1 && node.port <= 65_535, 'port must be 1-65535');

/** A comma-separated list; issues on entry `i` get the path `[variable, i]`. */
export function list<T extends z.ZodType<unknown, string>>(entry: T) {
  return z
    .string()
    .transform((raw) => raw.split(',').map((item) => item.trim()))
    .pipe(z.array(z.string().min(1, 'is empty (stray comma?)').pipe(entry)));
}

/** A key list as `KeyRing.parse` reads it; VaultError messages never carry key material. */
export const encryptionKeys = () =>
  z.string().transform((spec, ctx) => {
    try {
      return KeyRing.parse(spec);
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      ctx.addIssue({
        code: 'custom',
        message: `must be comma-separated kid:base64(32 bytes) entries, newest first: ${error.message.replace(/^Invalid encryption key list: /, '')}`,
      });
      return z.NEVER;
    }
  });

export function atLeast(length: number) {
  return z.string().min(length, `must be at least ${length} characters long`);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** Most proxy hops a deployment plausibly has; more is a typo, not a topology. */
const MAX_PROXY_HOPS = 16;

/**
 * `TOKENLANE_TRUST_PROXY`: how many proxies in front of the ingress to believe
 * (`X-Forwarded-For` is read right to left that far), or the CIDR blocks (a bare address is a
 * /32 or /128) of the proxies allowed to name the client. Never "trust all": a value that
 * would let any peer choose its own address (`true`, `*`, `0.0.0.0/0`, `::/0`) is refused.
 */
export const trustProxy = () =>
  z.string().transform((raw, ctx): number | string[] => {
    const text = raw.trim();
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops >= 1 && hops <= MAX_PROXY_HOPS) return hops;
      ctx.addIssue({ code: 'custom', message: `must be a hop count from 1 to ${MAX_PROXY_HOPS}` });
      return z.NEVER;
    }
    const blocks = text.split(',').map((item) => item.trim());
    const bad = blocks.findIndex((block) => cidrProblem(block) !== undefined);
    if (bad >= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${bad + 1} ${cidrProblem(blocks[bad] ?? '') ?? ''}: use a hop count (1-${MAX_PROXY_HOPS}) or comma-separated CIDR blocks such as 10.0.0.0/8,fd00::/8`,
      });
      return z.NEVER;
    }
    return blocks;
  });

function cidrProblem(block: string): string | undefined {
  const [address = '', prefix, extra] = block.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return 'is not an IP address or CIDR block';
  if (prefix === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `has a prefix outside 0-${max}`;
  if (Number(prefix) === 0) return 'trusts every address (a /0 block); name the proxies instead';
  return undefined;
}

/** Shortest outgoing-webhook secret as text, and as decoded bytes for `whsec_<base64>`. */
export const MIN_WEBHOOK_SECRET_CHARACTERS = 32;
export const MIN_WEBHOOK_SECRET_BYTES = 24;

/**
 * `TOKENLANE_WEBHOOK_SECRET`: whoever knows it can forge every event, so it must be long
 * enough not to guess. A Standard Webhooks `whsec_<base64>` secret is keyed by its decoded
 * bytes (24 or more, 192 bits); any other by its text (32 or more characters).
 */
export const webhookSecret = () =>
  z.string().superRefine((secret, ctx) => {
    const key = standardWebhookKey(secret);
    const decoded =
      secret.startsWith(STANDARD_WEBHOOK_SECRET_PREFIX) && key.length !== Buffer.byteLength(secret);
    if (decoded && key.length < MIN_WEBHOOK_SECRET_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `must decode to at least ${MIN_WEBHOOK_SECRET_BYTES} bytes after whsec_ (e.g. whsec_ + base64 of 32 random bytes)`,
      });
    } else if (!decoded && secret.length < MIN_WEBHOOK_SECRET_CHARACTERS) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at least ${MIN_WEBHOOK_SECRET_CHARACTERS} characters long, or whsec_ + base64 of at least ${MIN_WEBHOOK_SECRET_BYTES} bytes`,
      });
    }
  });

import { z } from 'zod';

import { apiKeyListProblem, parseApiKey } from './api-keys.js';

import {
  LOG_FORMATS,
  LOG_LEVELS,
  NODE_ENVS,
  atLeast,
  encryptionKeys,
  hostPort,
  httpUrl,
  integer,
  list,
  oneOf,
  port,
  trustProxy,
  url,
  webhookSecret,
  fraction,
} from './fields.js';

/**
 * Every environment variable tokenlane reads (docs/api.md, "Environment"), parsed once at boot.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `TOKENLANE_DATA_DIR` | `./.tokenlane` | where dev mode keeps PGlite data and a generated key |
 * | `TOKENLANE_WORKER_HEALTH_PORT` | `3001` | the worker's `/healthz` + `/readyz` port |
 * | `TOKENLANE_CALLBACK_WAIT_MS` | `5000` (0–60000) | how long `/oauth/callback` waits for the exchange job before redirecting |
 * | `TOKENLANE_LINK_TTL_SECONDS` | `900` (60–86400) | lifetime of a link session and its state (docs/architecture.md, rule 3) |
 * | `TOKENLANE_SWEEP_INTERVAL_MS` | `5000` (100–3600000) | how often the sweeper looks for connections due a refresh |
 * | `TOKENLANE_PROVIDER_TIMEOUT_MS` | `15000` (1000–120000) | how long a provider call waits for its answer (headers, then body) before it counts as `timeout` |
 * | `TOKENLANE_QUEUE_PREFIX` | `tokenlane` | BullMQ key prefix (use `{…}` hash tags on Redis Cluster) |
 * | `TOKENLANE_PROVIDER_PROBE_SECONDS` | `60` (1–3600) | first wait before a paused provider is probed; it doubles per failed probe, up to an hour |
 * | `TOKENLANE_REDIS_CLUSTER` | `false` | `true`: `REDIS_URL` names one node of a Redis Cluster (the prefix then needs a hash tag) |
 * | `TOKENLANE_REDIS_CLUSTER_NODES` | — | more cluster nodes to start from, `host:port,…`: a process still starts while `REDIS_URL`'s node is down |
 * | `TOKENLANE_LOG_FORMAT` | unset | `json` or `pretty`; unset: readable lines for `npm start` on a terminal outside production, JSON otherwise |
 * | `TOKENLANE_REFRESH_GIVE_UP_HOURS` | `168` (1–8760) | how long refreshes may keep failing before the connection is `reauth_required` / `refresh_exhausted` |
 * | `TOKENLANE_REFRESH_CONCURRENCY` | `500` (1–5000) | scheduled refreshes one worker process holds in flight, across its batches; callers' refreshes have as many again (docs/operations.md, "Sizing the refresh workers") |
 * | `TOKENLANE_REFRESH_LEASE_MS` | `15000` (3000–600000) | how long a refresh's lease outlives a dead holder: a lost batch or a killed worker's refreshes are taken up again this long after it (docs/architecture.md, "The refresh lease") |
 * | `TOKENLANE_REFRESH_RESERVE` | `0.2` (0–0.9) | share of each provider rate window that proxied calls may not take: kept for refreshes |
 * | `TOKENLANE_AUDIT_TOKEN_READS` | `false` | `true`: every token read writes a `connection.token_read` event naming the API key |
 * | `TOKENLANE_EVENT_RETENTION_DAYS` | `30` (1–3650) | delivered events older than this are deleted (undelivered ones are kept) |
 * | `TOKENLANE_TRUST_PROXY` | unset | proxies in front of the ingress whose `X-Forwarded-For` names the client: a hop count (1-16) or CIDR blocks; unset: the socket address is the client's |
 * | `TOKENLANE_INTERNAL_PORT` | unset | when set, `/metrics`, `/admin…` and `/docs` are served only on this port, not on `PORT` |
 * | `TOKENLANE_APP_NAME` | `tokenlane` | the app's name on the pages a user's browser sees (1-64 characters) |
 * | `TOKENLANE_APP_LOGO_URL` | unset | an `https://` image shown beside the app's name on those pages; only its origin may load images there |
 * | `TOKENLANE_SUPPORT_URL` | unset | an `https://` (or `mailto:`) address those pages offer for help |
 * | `TOKENLANE_EXPIRING_NOTICE_DAYS` | `7` (0–90) | how many days before a refresh token expires on its own `connection.expiring` is sent |
 */
export const envSchema = z.object({
  NODE_ENV: oneOf(NODE_ENVS).default('development'),
  LOG_LEVEL: oneOf(LOG_LEVELS).default('info'),
  TOKENLANE_LOG_FORMAT: oneOf(LOG_FORMATS).optional(),
  PORT: port().default(3000),
  TOKENLANE_TRUST_PROXY: trustProxy().optional(),
  TOKENLANE_INTERNAL_PORT: port().optional(),
  TOKENLANE_APP_NAME: z
    .string()
    .trim()
    .min(1)
    .max(64, 'must be at most 64 characters long')
    .default('tokenlane'),
  // https only: an end-user page must not load a plain-HTTP image (mixed content, tracking).
  TOKENLANE_APP_LOGO_URL: url({
    protocols: ['https:'],
    expected: 'must be an https:// URL',
    bare: true,
  }).optional(),
  TOKENLANE_SUPPORT_URL: url({
    protocols: ['https:', 'mailto:'],
    expected: 'must be an https:// or mailto: URL',
  }).optional(),
  PUBLIC_URL: httpUrl('must be an http(s) URL', true).optional(),
  DATABASE_URL: url({
    protocols: ['postgres:', 'postgresql:'],
    expected: 'must be a postgres:// or postgresql:// URL',
  }).optional(),
  REDIS_URL: url({
    protocols: ['redis:', 'rediss:'],
    expected: 'must be a redis:// or rediss:// URL',
  }).optional(),
  TOKENLANE_REDIS_CLUSTER: oneOf(['true', 'false']).default('false'),
  TOKENLANE_REDIS_CLUSTER_NODES: list(hostPort()).optional(),
  TOKENLANE_API_KEYS: list(apiKeyEntry())
    .superRefine((entries, ctx) => {
      const problem = apiKeyListProblem(entries);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default([]),
  TOKENLANE_ENCRYPTION_KEYS: encryptionKeys().optional(),
  TOKENLANE_PROVIDERS_FILE: z.string().optional(),
  TOKENLANE_ALLOWED_RETURN_URLS: list(
    httpUrl('must be an absolute http(s) URL prefix', true),
  ).default([]),
  TOKENLANE_WEBHOOK_URL: httpUrl('must be an http(s) URL').optional(),
  TOKENLANE_WEBHOOK_SECRET: webhookSecret().optional(),
  TOKENLANE_ADMIN_PASSWORD: atLeast(12).optional(),
  TOKENLANE_DATA_DIR: z.string().default('./.tokenlane'),
  TOKENLANE_WORKER_HEALTH_PORT: port().default(3001),
  TOKENLANE_CALLBACK_WAIT_MS: integer(0, 60_000).default(5000),
  TOKENLANE_LINK_TTL_SECONDS: integer(60, 86_400).default(900),
  TOKENLANE_SWEEP_INTERVAL_MS: integer(100, 3_600_000).default(5000),
  TOKENLANE_PROVIDER_TIMEOUT_MS: integer(1000, 120_000).default(15_000),
  TOKENLANE_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:{}-]{1,64}$/, 'must be 1-64 characters of letters, digits and _.:{}-')
    .default('tokenlane'),
  TOKENLANE_REFRESH_GIVE_UP_HOURS: integer(1, 8_760).default(168),
  TOKENLANE_PROVIDER_PROBE_SECONDS: integer(1, 3_600).default(60),
  TOKENLANE_REFRESH_CONCURRENCY: integer(1, 5_000).default(500),
  TOKENLANE_REFRESH_LEASE_MS: integer(3_000, 600_000).default(15_000),
  TOKENLANE_REFRESH_RESERVE: fraction(0, 0.9).default(0.2),
  TOKENLANE_AUDIT_TOKEN_READS: oneOf(['true', 'false']).default('false'),
  TOKENLANE_EVENT_RETENTION_DAYS: integer(1, 3_650).default(30),
  TOKENLANE_EXPIRING_NOTICE_DAYS: integer(0, 90).default(7),
});

/**
 * One `TOKENLANE_API_KEYS` entry: a bare key, or `name:scope+scope:key`; names must be unique
 * (checked on the list).
 */
function apiKeyEntry() {
  return z.string().superRefine((entry, ctx) => {
    const parsed = parseApiKey(entry, 0);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  });
}

export type EnvVariable = keyof typeof envSchema.shape;
export type ParsedEnv = z.output<typeof envSchema>;

/** In schema order, so error lines come out in a stable, documented order. */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as EnvVariable[];

/** Never echoed in an error, not even in part. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set<EnvVariable>([
  'TOKENLANE_API_KEYS',
  'TOKENLANE_ENCRYPTION_KEYS',
  'TOKENLANE_WEBHOOK_SECRET',
  'TOKENLANE_ADMIN_PASSWORD',
]);

/** Echoed without userinfo, query or fragment: connection URLs carry passwords. */
export const URL_VARIABLES: ReadonlySet<string> = new Set<EnvVariable>([
  'PUBLIC_URL',
  'DATABASE_URL',
  'REDIS_URL',
  'TOKENLANE_ALLOWED_RETURN_URLS',
  'TOKENLANE_WEBHOOK_URL',
  'TOKENLANE_APP_LOGO_URL',
  'TOKENLANE_SUPPORT_URL',
]);

/** Variables that only make sense as a pair: `[a, b]` means each needs the other. */
export const REQUIRED_TOGETHER: readonly (readonly [EnvVariable, EnvVariable])[] = [
  ['TOKENLANE_WEBHOOK_URL', 'TOKENLANE_WEBHOOK_SECRET'],
];

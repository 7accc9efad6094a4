import { inspect } from 'node:util';

import type { KeyRing } from '@tokenlane/vault';

import { ConfigError, configIssue, fromZodIssue, type ConfigIssue } from './config-error.js';
import {
  ENV_VARIABLES,
  REQUIRED_TOGETHER,
  envSchema,
  type EnvVariable,
  type ParsedEnv,
} from './env-schema.js';
import type { LOG_FORMATS, LOG_LEVELS, NODE_ENVS } from './fields.js';
import { hashTagOf } from './hash-tag.js';
import { redactConfig } from './redact-config.js';

export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * Everything tokenlane reads from the environment, typed and deeply frozen. It holds
 * secrets, but `JSON.stringify` and `util.inspect` show them as `[redacted]` (keep it that
 * way: do not spread it into a plain object you then log). Unset dev-mode secrets stay
 * visible as such (`apiKeys` empty, `encryptionKeys` undefined) for the startup code.
 */
export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly logLevel: LogLevel;
  /** `TOKENLANE_LOG_FORMAT`; unset: readable on a terminal outside production (`npm start`). */
  readonly logFormat: LogFormat | undefined;
  readonly port: number;
  /**
   * `TOKENLANE_TRUST_PROXY`, as Fastify's `trustProxy` takes it: a hop count or CIDR blocks.
   * Unset: the socket address is the client's.
   */
  readonly trustProxy: number | readonly string[] | undefined;
  /** `TOKENLANE_INTERNAL_PORT`: set, the operational routes are served only on this port. */
  readonly internalPort: number | undefined;
  /** `TOKENLANE_APP_NAME`: the name end users see on tokenlane's pages. */
  readonly appName: string;
  /** Without a trailing slash; default `http://localhost:${port}`. */
  readonly publicUrl: string;
  /** `${publicUrl}/oauth/callback`, the redirect URI registered with providers. */
  readonly callbackUrl: string;
  /** Unset: embedded PGlite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** Unset: `npm start` launches a local redis-server. */
  readonly redisUrl: string | undefined;
  /** `redisUrl` names a seed node of a Redis Cluster; the other nodes are discovered. */
  readonly redisCluster: boolean;
  readonly apiKeys: readonly string[];
  readonly encryptionKeys: KeyRing | undefined;
  readonly providersFile: string | undefined;
  /** Normalized URL prefixes; compare against `new URL(returnUrl).href`. */
  readonly allowedReturnUrls: readonly string[];
  readonly webhook: { readonly url: string; readonly secret: string } | undefined;
  /** Unset: the queue dashboard is off. */
  readonly adminPassword: string | undefined;
  readonly dataDir: string;
  readonly workerHealthPort: number;
  readonly callbackWaitMs: number;
  readonly linkTtlSeconds: number;
  readonly sweepIntervalMs: number;
  /** Headers and body timeout of every provider call. */
  readonly providerTimeoutMs: number;
  readonly queuePrefix: string;
  /** Hours of failing refreshes after which a connection is `reauth_required`. */
  readonly refreshGiveUpHours: number;
  /** Share of each provider rate window kept for refreshes (proxied calls may not take it). */
  readonly refreshReserve: number;
  /** First wait before a paused provider is probed (doubling per failed probe, up to 1 h). */
  readonly providerProbeSeconds: number;
  /** Every token read writes a `connection.token_read` event. */
  readonly auditTokenReads: boolean;
  /** Delivered events older than this many days are deleted by the retention job. */
  readonly eventRetentionDays: number;
  /** Days before a refresh token's own expiry that `connection.expiring` is sent. */
  readonly expiringNoticeDays: number;
}

/**
 * Parses and checks the environment once at boot (docs/api.md). Throws a ConfigError with
 * one line per bad variable. An empty (or blank) value counts as unset, because
 * docker-compose passes optional variables through as `${VAR:-}`.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const present: Partial<Record<EnvVariable, string>> = {};
  for (const name of ENV_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') present[name] = value;
  }
  const issues = missingPartners(present);
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => fromZodIssue(i, env)));
  if (parsed.success) issues.push(...clusterIssues(parsed.data), ...portIssues(parsed.data));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(firstPerVariable(issues));
  return freezeConfig(toConfig(parsed.data));
}

/** For a service's main: print the ConfigError lines to stderr and exit 1. */
export function loadConfigOrExit(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

function toConfig(env: ParsedEnv): Config {
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  const { TOKENLANE_WEBHOOK_URL: url, TOKENLANE_WEBHOOK_SECRET: secret } = env;
  return {
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    logFormat: env.TOKENLANE_LOG_FORMAT,
    port: env.PORT,
    trustProxy: env.TOKENLANE_TRUST_PROXY,
    internalPort: env.TOKENLANE_INTERNAL_PORT,
    appName: env.TOKENLANE_APP_NAME,
    publicUrl,
    callbackUrl: `${publicUrl}/oauth/callback`,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisCluster: env.TOKENLANE_REDIS_CLUSTER === 'true',
    apiKeys: env.TOKENLANE_API_KEYS,
    encryptionKeys: env.TOKENLANE_ENCRYPTION_KEYS,
    providersFile: env.TOKENLANE_PROVIDERS_FILE,
    allowedReturnUrls: env.TOKENLANE_ALLOWED_RETURN_URLS,
    webhook: url !== undefined && secret !== undefined ? { url, secret } : undefined,
    adminPassword: env.TOKENLANE_ADMIN_PASSWORD,
    dataDir: env.TOKENLANE_DATA_DIR,
    workerHealthPort: env.TOKENLANE_WORKER_HEALTH_PORT,
    callbackWaitMs: env.TOKENLANE_CALLBACK_WAIT_MS,
    linkTtlSeconds: env.TOKENLANE_LINK_TTL_SECONDS,
    sweepIntervalMs: env.TOKENLANE_SWEEP_INTERVAL_MS,
    providerTimeoutMs: env.TOKENLANE_PROVIDER_TIMEOUT_MS,
    queuePrefix: env.TOKENLANE_QUEUE_PREFIX,
    refreshGiveUpHours: env.TOKENLANE_REFRESH_GIVE_UP_HOURS,
    refreshReserve: env.TOKENLANE_REFRESH_RESERVE,
    providerProbeSeconds: env.TOKENLANE_PROVIDER_PROBE_SECONDS,
    auditTokenReads: env.TOKENLANE_AUDIT_TOKEN_READS === 'true',
    eventRetentionDays: env.TOKENLANE_EVENT_RETENTION_DAYS,
    expiringNoticeDays: env.TOKENLANE_EXPIRING_NOTICE_DAYS,
  };
}

function missingPartners(present: Partial<Record<EnvVariable, string>>): ConfigIssue[] {
  return REQUIRED_TOGETHER.flatMap((pair) =>
    pair.flatMap((name, i) => {
      const partner = pair[1 - i] as EnvVariable;
      return present[name] === undefined && present[partner] !== undefined
        ? [configIssue(name, `must be set too when ${partner} is set`)]
        : [];
    }),
  );
}

/**
 * On Redis Cluster every key tokenlane writes carries the queue prefix, and a BullMQ script
 * touches many keys of one queue at once: they must all hash to one slot.
 */
function clusterIssues(env: ParsedEnv): ConfigIssue[] {
  if (
    env.TOKENLANE_REDIS_CLUSTER !== 'true' ||
    hashTagOf(env.TOKENLANE_QUEUE_PREFIX) !== undefined
  ) {
    return [];
  }
  return [
    configIssue(
      'TOKENLANE_QUEUE_PREFIX',
      'must contain a hash tag such as {tokenlane} when TOKENLANE_REDIS_CLUSTER=true (every key of a queue must hash to one slot)',
      env.TOKENLANE_QUEUE_PREFIX,
    ),
  ];
}

/** One port cannot be both the public and the internal listener. */
function portIssues(env: ParsedEnv): ConfigIssue[] {
  return env.TOKENLANE_INTERNAL_PORT === env.PORT
    ? [
        configIssue(
          'TOKENLANE_INTERNAL_PORT',
          'must differ from PORT (the internal listener is a port of its own)',
          String(env.PORT),
        ),
      ]
    : [];
}

/** Several zod issues may hit one variable; the first says enough. Schema order, stably. */
function firstPerVariable(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const first = new Map<string, ConfigIssue>();
  for (const issue of issues) if (!first.has(issue.variable)) first.set(issue.variable, issue);
  const rank = (name: string) => ENV_VARIABLES.indexOf(name as EnvVariable);
  return [...first.values()].sort((x, y) => rank(x.variable) - rank(y.variable));
}

function freezeConfig(config: Config): Config {
  // Non-enumerable, so they neither show up in Object.keys nor get frozen as data.
  Object.defineProperties(config, {
    toJSON: { value: () => redactConfig(config) },
    [inspect.custom]: { value: () => redactConfig(config) },
  });
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child);
  }
  return Object.freeze(value);
}

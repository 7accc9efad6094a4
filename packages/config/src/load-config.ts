import { inspect } from 'node:util';

import { ConfigError, configIssue, fromZodIssue, type ConfigIssue } from './config-error.js';
import {
  ENV_VARIABLES,
  REQUIRED_TOGETHER,
  envSchema,
  type EnvVariable,
  type ParsedEnv,
} from './env-schema.js';
import { hashTagOf } from './hash-tag.js';
import { redactConfig } from './redact-config.js';

import type { Config } from './config.js';

export type { Config, LogFormat, LogLevel, NodeEnv } from './config.js';

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
    appLogoUrl: env.TOKENLANE_APP_LOGO_URL,
    supportUrl: env.TOKENLANE_SUPPORT_URL,
    publicUrl,
    callbackUrl: `${publicUrl}/oauth/callback`,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisCluster: env.TOKENLANE_REDIS_CLUSTER === 'true',
    redisClusterNodes: env.TOKENLANE_REDIS_CLUSTER_NODES ?? [],
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
    refreshConcurrency: env.TOKENLANE_REFRESH_CONCURRENCY,
    refreshLeaseMs: env.TOKENLANE_REFRESH_LEASE_MS,
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

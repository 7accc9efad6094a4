import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { KeyRing } from '@tokenlane/vault';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ConfigError } from './config-error.js';
import { loadConfig, loadConfigOrExit } from './load-config.js';

const apiKey = 'tl_live_0123456789abcdef';
const encryptionKeys = `k1:${randomBytes(32).toString('base64')}`;
const webhookSecret = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYg==';
const adminPassword = 'correct horse battery';
const dbPassword = 'pg-pass-word';

const fullEnv = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'debug',
  PORT: '8080',
  PUBLIC_URL: 'https://auth.example.com/tokenlane/',
  DATABASE_URL: `postgres://app:${dbPassword}@db:5432/tokenlane`,
  REDIS_URL: 'rediss://redis:6380',
  TOKENLANE_REDIS_CLUSTER: 'true',
  TOKENLANE_API_KEYS: `${apiKey}, ${apiKey}-2`,
  TOKENLANE_ENCRYPTION_KEYS: encryptionKeys,
  TOKENLANE_PROVIDERS_FILE: '/etc/tokenlane/providers.json',
  TOKENLANE_ALLOWED_RETURN_URLS: 'https://app.example.com,https://admin.example.com/cb',
  TOKENLANE_WEBHOOK_URL: 'https://backend.example.com/hooks/tokenlane',
  TOKENLANE_WEBHOOK_SECRET: webhookSecret,
  TOKENLANE_ADMIN_PASSWORD: adminPassword,
  TOKENLANE_DATA_DIR: '/var/lib/tokenlane',
  TOKENLANE_WORKER_HEALTH_PORT: '9001',
  TOKENLANE_CALLBACK_WAIT_MS: '0',
  TOKENLANE_LINK_TTL_SECONDS: '600',
  TOKENLANE_SWEEP_INTERVAL_MS: '2000',
  TOKENLANE_QUEUE_PREFIX: '{tokenlane}',
};
const secrets = [apiKey, encryptionKeys.slice(3), webhookSecret, adminPassword, dbPassword];

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('end-user page branding', () => {
  it('takes an https logo and an https or mailto support address, nothing else', () => {
    const config = loadConfig({
      TOKENLANE_APP_LOGO_URL: 'https://cdn.example/logo.png',
      TOKENLANE_SUPPORT_URL: 'mailto:help@example.com',
    });
    expect(config.appLogoUrl).toBe('https://cdn.example/logo.png');
    expect(config.supportUrl).toBe('mailto:help@example.com');
    expect(() => loadConfig({ TOKENLANE_APP_LOGO_URL: 'http://cdn.example/logo.png' })).toThrow(
      /TOKENLANE_APP_LOGO_URL/,
    );
    expect(() => loadConfig({ TOKENLANE_SUPPORT_URL: 'javascript:alert(1)' })).toThrow(
      /TOKENLANE_SUPPORT_URL/,
    );
  });
});

describe('loadConfig', () => {
  it('runs with an empty environment, on documented defaults', () => {
    expect({ ...loadConfig({}) }).toEqual({
      nodeEnv: 'development',
      logLevel: 'info',
      port: 3000,
      trustProxy: undefined,
      internalPort: undefined,
      appName: 'tokenlane',
      appLogoUrl: undefined,
      supportUrl: undefined,
      publicUrl: 'http://localhost:3000',
      callbackUrl: 'http://localhost:3000/oauth/callback',
      databaseUrl: undefined,
      redisUrl: undefined,
      redisCluster: false,
      redisClusterNodes: [],
      apiKeys: [],
      encryptionKeys: undefined,
      providersFile: undefined,
      allowedReturnUrls: [],
      webhook: undefined,
      adminPassword: undefined,
      dataDir: './.tokenlane',
      workerHealthPort: 3001,
      callbackWaitMs: 5000,
      linkTtlSeconds: 900,
      sweepIntervalMs: 5000,
      providerTimeoutMs: 15_000,
      queuePrefix: 'tokenlane',
      refreshGiveUpHours: 168,
      refreshConcurrency: 500,
      refreshLeaseMs: 15_000,
      refreshReserve: 0.2,
      providerProbeSeconds: 60,
      auditTokenReads: false,
      eventRetentionDays: 30,
      expiringNoticeDays: 7,
    });
  });

  it('treats empty and blank values as unset, as docker-compose passes ${VAR:-}', () => {
    const config = loadConfig({
      PORT: '',
      TOKENLANE_API_KEYS: '',
      TOKENLANE_ALLOWED_RETURN_URLS: '',
      TOKENLANE_WEBHOOK_URL: '',
      TOKENLANE_WEBHOOK_SECRET: ' ',
      TOKENLANE_ADMIN_PASSWORD: '',
    });
    expect(config).toMatchObject({ port: 3000, apiKeys: [], webhook: undefined });
    expect(config.adminPassword).toBeUndefined();
  });

  it('derives the default public URL from PORT', () => {
    expect(loadConfig({ PORT: '4000' }).callbackUrl).toBe('http://localhost:4000/oauth/callback');
  });

  it('parses every variable', () => {
    const config = loadConfig(fullEnv);
    expect(config).toMatchObject({
      nodeEnv: 'production',
      logLevel: 'debug',
      port: 8080,
      publicUrl: 'https://auth.example.com/tokenlane',
      callbackUrl: 'https://auth.example.com/tokenlane/oauth/callback',
      databaseUrl: fullEnv.DATABASE_URL,
      redisUrl: 'rediss://redis:6380',
      redisCluster: true,
      apiKeys: [apiKey, `${apiKey}-2`],
      providersFile: '/etc/tokenlane/providers.json',
      allowedReturnUrls: ['https://app.example.com/', 'https://admin.example.com/cb'],
      webhook: { url: fullEnv.TOKENLANE_WEBHOOK_URL, secret: webhookSecret },
      adminPassword,
      dataDir: '/var/lib/tokenlane',
      workerHealthPort: 9001,
      callbackWaitMs: 0,
      linkTtlSeconds: 600,
      sweepIntervalMs: 2000,
      providerTimeoutMs: 15_000,
      queuePrefix: '{tokenlane}',
      refreshGiveUpHours: 168,
      refreshConcurrency: 500,
      refreshLeaseMs: 15_000,
      refreshReserve: 0.2,
      providerProbeSeconds: 60,
      expiringNoticeDays: 7,
    });
    expect(config.encryptionKeys).toBeInstanceOf(KeyRing);
    expect(config.encryptionKeys?.primaryKid).toBe('k1');
  });

  it('is deeply frozen', () => {
    const config = loadConfig(fullEnv);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.apiKeys)).toBe(true);
    expect(Object.isFrozen(config.webhook)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => (config.allowedReturnUrls as string[]).push('https://evil.example')).toThrow(
      TypeError,
    );
  });

  it('redacts secrets in JSON and inspect but keeps the rest', () => {
    const config = loadConfig(fullEnv);
    const json = JSON.stringify(config);
    const shown = `${json}\n${inspect(config, { depth: 10 })}`;
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect(JSON.parse(json)).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://app:***@db:5432/tokenlane',
      apiKeys: ['[redacted]', '[redacted]'],
      encryptionKeys: { primaryKid: 'k1', kids: ['k1'] },
      webhook: { url: fullEnv.TOKENLANE_WEBHOOK_URL, secret: '[redacted]' },
      adminPassword: '[redacted]',
    });
    expect(Object.keys(config)).not.toContain('toJSON');
  });
});

describe('loadConfig errors', () => {
  it.each([
    ['PORT', 'eighty', 'PORT must be an integer from 1 to 65535 (got "eighty")'],
    ['PORT', '70000', 'PORT must be an integer from 1 to 65535 (got "70000")'],
    ['PUBLIC_URL', '/relative', 'PUBLIC_URL must be an http(s) URL (got "/relative")'],
    [
      'DATABASE_URL',
      'mysql://u:hunter2@db/x',
      'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://db/x")',
    ],
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL must be a redis:// or rediss:// URL'],
    [
      'TOKENLANE_API_KEYS',
      'short',
      'TOKENLANE_API_KEYS entry 1 must be at least 16 characters long',
    ],
    ['TOKENLANE_API_KEYS', `${apiKey},`, 'TOKENLANE_API_KEYS entry 2 is empty (stray comma?)'],
    [
      'TOKENLANE_API_KEYS',
      `ci:tokens:read+connections:wrte:${apiKey}`,
      'TOKENLANE_API_KEYS entry 1 (key "ci") has an unknown scope: use name:scope+scope:key with scopes from connections:read, connections:write, tokens:read, events:read, migrations:write, proxy, admin',
    ],
    [
      'TOKENLANE_API_KEYS',
      `${apiKey},ci:events:read:short`,
      'TOKENLANE_API_KEYS entry 2 (key "ci") must have a key of at least 16 characters',
    ],
    [
      'TOKENLANE_API_KEYS',
      `Bad Name:admin:${apiKey}`,
      'TOKENLANE_API_KEYS entry 1 has a bad name: use 1-64 of a-z, 0-9, _ . - before the first ":"',
    ],
    [
      'TOKENLANE_AUDIT_TOKEN_READS',
      'yes',
      'TOKENLANE_AUDIT_TOKEN_READS must be one of true, false',
    ],
    [
      'TOKENLANE_EVENT_RETENTION_DAYS',
      '0',
      'TOKENLANE_EVENT_RETENTION_DAYS must be an integer from 1 to 3650',
    ],
    [
      'TOKENLANE_ENCRYPTION_KEYS',
      'k1:c2hvcnQ=',
      'TOKENLANE_ENCRYPTION_KEYS must be comma-separated kid:base64(32 bytes) entries',
    ],
    [
      'TOKENLANE_ALLOWED_RETURN_URLS',
      'https://ok.example,ftp://x',
      'TOKENLANE_ALLOWED_RETURN_URLS entry 2 must be an absolute http(s) URL prefix (got "ftp://x")',
    ],
    [
      'TOKENLANE_ALLOWED_RETURN_URLS',
      'https://a.example/?next=1',
      'prefix without credentials, query or # (got "https://a.example/?…")',
    ],
    [
      'TOKENLANE_WEBHOOK_URL',
      'ftp://x',
      'TOKENLANE_WEBHOOK_URL must be an http(s) URL (got "ftp://x")',
    ],
    [
      'TOKENLANE_ADMIN_PASSWORD',
      'short',
      'TOKENLANE_ADMIN_PASSWORD must be at least 12 characters long',
    ],
    [
      'LOG_LEVEL',
      'verbose',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ],
    [
      'NODE_ENV',
      'staging',
      'NODE_ENV must be one of development, production, test (got "staging")',
    ],
    [
      'TOKENLANE_WORKER_HEALTH_PORT',
      '0',
      'TOKENLANE_WORKER_HEALTH_PORT must be an integer from 1 to 65535',
    ],
    [
      'TOKENLANE_CALLBACK_WAIT_MS',
      '-1',
      'TOKENLANE_CALLBACK_WAIT_MS must be an integer from 0 to 60000 (got "-1")',
    ],
    [
      'TOKENLANE_LINK_TTL_SECONDS',
      '1.5',
      'TOKENLANE_LINK_TTL_SECONDS must be an integer from 60 to 86400',
    ],
    [
      'TOKENLANE_SWEEP_INTERVAL_MS',
      '10',
      'TOKENLANE_SWEEP_INTERVAL_MS must be an integer from 100 to 3600000',
    ],
    ['TOKENLANE_QUEUE_PREFIX', 'a b', 'TOKENLANE_QUEUE_PREFIX must be 1-64 characters'],
  ])('%s=%j gives exactly one line naming it', (name, value, expected) => {
    const env: Record<string, string> = { [name]: value };
    if (name === 'TOKENLANE_WEBHOOK_URL') env.TOKENLANE_WEBHOOK_SECRET = webhookSecret;
    const error = configError(env);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toMatch(/^Invalid environment: /);
    expect(error.message).toContain(expected);
    expect(error.issues).toEqual([{ variable: name, message: error.message }]);
  });

  it('gives one line per bad variable, in schema order', () => {
    const error = configError({ TOKENLANE_QUEUE_PREFIX: 'a b', LOG_LEVEL: 'loud', PORT: 'x' });
    expect(error.message.split('\n').map((line) => line.split(' ')[2])).toEqual([
      'LOG_LEVEL',
      'PORT',
      'TOKENLANE_QUEUE_PREFIX',
    ]);
  });

  it.each(['tokenlane', '{}tokenlane', 'token{lane', 'tl}{x'])(
    'refuses a Redis Cluster with the prefix %j (no hash tag) in one line',
    (prefix) => {
      const error = configError({
        TOKENLANE_REDIS_CLUSTER: 'true',
        TOKENLANE_QUEUE_PREFIX: prefix,
      });
      expect(error.message).toBe(
        `Invalid environment: TOKENLANE_QUEUE_PREFIX must contain a hash tag such as {tokenlane} when TOKENLANE_REDIS_CLUSTER=true (every key of a queue must hash to one slot) (got "${prefix}")`,
      );
    },
  );

  it('refuses a Redis Cluster on the default prefix, and takes any hash-tagged one', () => {
    expect(configError({ TOKENLANE_REDIS_CLUSTER: 'true' }).issues).toHaveLength(1);
    expect(
      loadConfig({ TOKENLANE_REDIS_CLUSTER: 'true', TOKENLANE_QUEUE_PREFIX: 'tl:{a}' }),
    ).toMatchObject({ redisCluster: true, queuePrefix: 'tl:{a}' });
  });

  it('reads more cluster nodes to start from, and names a bad one', () => {
    const cluster = { TOKENLANE_REDIS_CLUSTER: 'true', TOKENLANE_QUEUE_PREFIX: '{tl}' };
    expect(
      loadConfig({ ...cluster, TOKENLANE_REDIS_CLUSTER_NODES: 'redis-a:7000, 10.0.0.2:7001' })
        .redisClusterNodes,
    ).toEqual([
      { host: 'redis-a', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
    ]);
    const issues = configError({ ...cluster, TOKENLANE_REDIS_CLUSTER_NODES: 'redis-a' }).issues;
    expect(issues.map((issue) => issue.message).join()).toContain('must be host:port');
  });

  it('requires the webhook URL and secret together', () => {
    expect(configError({ TOKENLANE_WEBHOOK_URL: 'https://b.example/h' }).message).toBe(
      'Invalid environment: TOKENLANE_WEBHOOK_SECRET must be set too when TOKENLANE_WEBHOOK_URL is set',
    );
    expect(configError({ TOKENLANE_WEBHOOK_SECRET: webhookSecret }).message).toBe(
      'Invalid environment: TOKENLANE_WEBHOOK_URL must be set too when TOKENLANE_WEBHOOK_SECRET is set',
    );
  });

  it('never echoes secret values, nor URL userinfo or queries', () => {
    const leaky = {
      TOKENLANE_API_KEYS: `${apiKey},tooshort-secret`,
      TOKENLANE_ENCRYPTION_KEYS: `${encryptionKeys},k1:${randomBytes(32).toString('base64')}`,
      TOKENLANE_WEBHOOK_URL: `gopher://user:${webhookSecret}@x`,
      TOKENLANE_WEBHOOK_SECRET: webhookSecret,
      TOKENLANE_ADMIN_PASSWORD: 'tiny-pass',
      DATABASE_URL: `pg://app:${dbPassword}/x@db/x?password=${adminPassword}`,
      REDIS_URL: `http://:${dbPassword}@r?token=${apiKey}`,
    };
    const error = configError(leaky);
    expect(error.issues).toHaveLength(6);
    for (const secret of [
      ...secrets,
      'tooshort-secret',
      'tiny-pass',
      leaky.TOKENLANE_ENCRYPTION_KEYS,
    ]) {
      expect(error.message).not.toContain(secret);
    }
    expect(error.message).toContain('(got "pg://db/x?…")');
  });
});

describe('loadConfigOrExit', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('returns the config when the environment is fine', () => {
    expect(loadConfigOrExit({}).port).toBe(3000);
  });

  it('prints the lines to stderr and exits 1', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exit');
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(() => loadConfigOrExit({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow('exit');
    expect(exit).toHaveBeenCalledWith(1);
    expect(stderr).toHaveBeenCalledWith(
      'Invalid environment: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")\n' +
        'Invalid environment: PORT must be an integer from 1 to 65535 (got "x")\n',
    );
  });
});

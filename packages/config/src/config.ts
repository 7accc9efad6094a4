import type { KeyRing } from '@tokenlane/vault';
import type { LOG_FORMATS, LOG_LEVELS, NODE_ENVS } from './fields.js';

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
  /** `TOKENLANE_APP_LOGO_URL`: an https image on those pages; its origin alone may serve images. */
  readonly appLogoUrl: string | undefined;
  /** `TOKENLANE_SUPPORT_URL`: where those pages send a user who needs help. */
  readonly supportUrl: string | undefined;
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
  /** `TOKENLANE_REDIS_CLUSTER_NODES`: more cluster nodes to start from besides `REDIS_URL`'s. */
  readonly redisClusterNodes: readonly { readonly host: string; readonly port: number }[];
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
  /**
   * Scheduled refreshes one worker process runs at once, across its batches (callers' own
   * refresh jobs have as many again). Each mostly waits on its provider (150–400 ms), so a
   * process's refreshes/s is this ÷ the provider's latency, up to its CPU.
   */
  readonly refreshConcurrency: number;
  /**
   * How long a refresh lease lasts without renewal. Live holders renew it; a lost batch job or
   * a killed worker's refreshes are taken up again once it lapses.
   */
  readonly refreshLeaseMs: number;
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

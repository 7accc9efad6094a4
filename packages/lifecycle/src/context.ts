import type { Config, Logger } from '@tokenlane/config';
import type { Database } from '@tokenlane/db';
import type { Metrics } from '@tokenlane/metrics';
import type { ProviderRegistry } from '@tokenlane/providers';
import type { JobQueues, RedisClient } from '@tokenlane/queue';
import type { KeyRing } from '@tokenlane/vault';
import type { Kysely } from 'kysely';
import type { FailurePolicy } from './policy.js';

/** The settings the lifecycle operations read; the rest of the configuration is the boot's. */
export type LifecycleSettings = Pick<
  Config,
  | 'allowedReturnUrls'
  | 'auditTokenReads'
  | 'callbackWaitMs'
  | 'eventRetentionDays'
  | 'linkTtlSeconds'
  | 'publicUrl'
  | 'queuePrefix'
  | 'refreshGiveUpHours'
  | 'refreshConcurrency'
  | 'refreshLeaseMs'
  | 'refreshReserve'
  | 'expiringNoticeDays'
  | 'sweepIntervalMs'
  | 'webhook'
>;

/**
 * What a lifecycle operation needs, and nothing more: the database, the key ring, the
 * providers, the queues (with the Redis connection they share, for the provider-wide rate
 * limit and brake), metrics, a logger and its settings. The boot (`@tokenlane/runtime`)
 * builds one per process; tests may build their own.
 */
export interface LifecycleContext {
  /** The kysely handle on Postgres or PGlite. */
  readonly db: Kysely<Database>;
  readonly keyRing: KeyRing;
  readonly providers: ProviderRegistry;
  readonly queues: JobQueues;
  /** Fast-fail Redis connection (single node or cluster) for provider-wide counters (rate limit, breaker). */
  readonly redis: RedisClient;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly config: LifecycleSettings;
  /** The failure policy's timings (backoff, breaker, probes). */
  readonly policy: FailurePolicy;
}

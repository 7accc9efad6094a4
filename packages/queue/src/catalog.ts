import { z } from 'zod';
import type { BackoffOptions } from './backoff.js';

const uuid = z.uuid();

/**
 * Every queue tokenlane runs, as data: payload schema (ids only — docs/architecture.md, rule 1),
 * deterministic job id (docs/architecture.md, rule 7), attempts and backoff. Workers declare a handler per
 * entry, so a queue without a handler does not compile.
 */
export const JOB_CATALOG = {
  /** Trade an authorization code (or PIN, or OAuth 1.0a verifier) stored on a link session. */
  exchange: {
    payload: z.strictObject({ linkSessionId: uuid }),
    jobId: (p: { linkSessionId: string }) => `exchange-${p.linkSessionId}`,
    // Codes are single use and short-lived (Withings: 30 s): few, quick attempts.
    attempts: 3,
    backoff: { baseMs: 500, capMs: 2_000 },
    // Kept an hour after completion so a replayed callback finds the job and adds nothing.
    retention: { completed: { age: 3_600 }, failed: { age: 7 * 86_400 } },
    // A dead worker's exchange is taken back within seconds: the user waits on the callback page.
    lockMs: 10_000,
  },
  /** Refresh one connection's tokens; one job per connection at a time (docs/architecture.md, rule 4). */
  refresh: {
    payload: z.strictObject({
      connectionId: uuid,
      trigger: z.enum(['schedule', 'api', 'reauth', 'operator']),
      // The token version the caller saw: a job added after that version was already
      // replaced finds nothing to do, so a late joiner never causes a second refresh.
      tokenVersion: z.int().nonnegative().optional(),
    }),
    jobId: (p: { connectionId: string }) => `refresh-${p.connectionId}`,
    // A provider's refusal completes the job: the connection's next attempt is persisted on
    // its row (refresh_due_at) and found by the sweeper. These attempts are for failures of
    // our own (database, Redis): a restart of either is ridden out.
    attempts: 8,
    backoff: { baseMs: 2_000, capMs: 60_000 },
    // Removed at once either way: a lingering job would block the next refresh's job id.
    // Outcomes live on the connection row, in events and in metrics.
    retention: { completed: true, failed: true },
    // A dead worker's refresh is taken back within seconds: token callers join it and wait.
    lockMs: 10_000,
  },
  /** A backend saw a 401 with the token of `tokenVersion`: force one refresh, else re-auth. */
  reauth: {
    payload: z.strictObject({ connectionId: uuid, tokenVersion: z.int().nonnegative() }),
    jobId: (p: { connectionId: string; tokenVersion: number }) =>
      `reauth-${p.connectionId}-${p.tokenVersion}`,
    attempts: 5,
    backoff: { baseMs: 1_000, capMs: 60_000 },
    // Kept a day: more reports about the same token within it are deduplicated.
    retention: { completed: { age: 86_400 }, failed: { age: 86_400 } },
    lockMs: 15_000,
  },
  /** Revoke at the provider (best effort), then wipe the tokens. */
  revoke: {
    payload: z.strictObject({
      connectionId: uuid,
      reason: z.enum(['api', 'provider_notice', 'operator']),
    }),
    jobId: (p: { connectionId: string }) => `revoke-${p.connectionId}`,
    attempts: 6,
    backoff: { baseMs: 1_000, capMs: 5 * 60_000 },
    retention: { completed: true, failed: true },
    lockMs: 15_000,
  },
  /** Deliver one outbox event to the backend's webhook. */
  notify: {
    payload: z.strictObject({ eventId: uuid }),
    jobId: (p: { eventId: string }) => `notify-${p.eventId}`,
    attempts: 20,
    backoff: { baseMs: 1_000, capMs: 60 * 60_000 },
    retention: { completed: { age: 86_400, count: 10_000 }, failed: { age: 7 * 86_400 } },
    lockMs: 15_000,
  },
  /** Move one connection of a provider migration to the successor (or ask its user to). */
  migrate: {
    payload: z.strictObject({ migrationId: uuid, connectionId: uuid }),
    jobId: (p: { migrationId: string; connectionId: string }) =>
      `migrate-${p.migrationId}-${p.connectionId}`,
    // Transient provider failures and our own: the item's outcome on the database row makes
    // a repeat harmless; the last attempt records `failed`.
    attempts: 8,
    backoff: { baseMs: 2_000, capMs: 5 * 60_000 },
    // Removed at once: the outcome lives on the migration item, and a restart re-adds the
    // job ids of items still pending.
    retention: { completed: true, failed: true },
    lockMs: 15_000,
  },
  /**
   * Ask the provider again who a linked user is: a link completed while the provider's identity
   * look-up failed, and the connection's provider user id is pending.
   */
  identity: {
    payload: z.strictObject({ connectionId: uuid }),
    jobId: (p: { connectionId: string }) => `identity-${p.connectionId}`,
    // A provider failure completes the job: the next look-up is persisted on the row
    // (identity_next_lookup_at, backing off as a failing refresh does) and the sweeper adds
    // the job again when it is due. These attempts are for failures of our own (database).
    attempts: 5,
    backoff: { baseMs: 2_000, capMs: 60_000 },
    // Removed at once either way: a lingering job would block the next look-up's job id.
    retention: { completed: true, failed: true },
    lockMs: 15_000,
  },
  /** Find connections due for refresh and enqueue their `refresh` jobs (a job scheduler). */
  sweep: {
    payload: z.strictObject({}),
    jobId: () => 'sweep',
    attempts: 1,
    backoff: { baseMs: 1_000, capMs: 1_000 },
    retention: { completed: { count: 10 }, failed: { count: 100 } },
    lockMs: 30_000,
  },
  /** Relay the events outbox: enqueue `notify` for each connection's oldest undelivered event. */
  outbox: {
    payload: z.strictObject({}),
    jobId: () => 'outbox',
    attempts: 1,
    backoff: { baseMs: 1_000, capMs: 1_000 },
    retention: { completed: { count: 10 }, failed: { count: 100 } },
    lockMs: 30_000,
  },
  /** Delete expired link sessions, old delivered events and stale notice receipts (a job scheduler). */
  retention: {
    payload: z.strictObject({}),
    jobId: () => 'retention',
    attempts: 1,
    backoff: { baseMs: 1_000, capMs: 1_000 },
    retention: { completed: { count: 10 }, failed: { count: 100 } },
    lockMs: 60_000,
  },
} as const satisfies Record<string, JobDefinition>;

/** BullMQ's `removeOnComplete` / `removeOnFail`: true, or keep by age (s) and count. */
type Keep = true | { age?: number; count?: number };

interface JobDefinition {
  payload: z.ZodType;
  jobId: (payload: never) => string;
  attempts: number;
  backoff: BackoffOptions;
  retention: { completed: Keep; failed: Keep };
  /**
   * How long a running job's lock lasts without renewal (the worker renews it every half).
   * A worker killed mid-job holds it this long at most; another worker's stalled check, every
   * half of it, then takes the job back (`workers.ts`). Sized to the work: seconds for a
   * refresh a token caller waits on, longer for batches.
   */
  lockMs: number;
}

export type JobName = keyof typeof JOB_CATALOG;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_CATALOG)[N]['payload']>;
export const JOB_NAMES = Object.keys(JOB_CATALOG) as JobName[];

/** BullMQ's custom backoff type name; workers register the strategy under it. */
export const BACKOFF_TYPE = 'tokenlane-jitter';

/** Validates a payload against its schema: job data is checked at enqueue and in the worker. */
export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return JOB_CATALOG[name].payload.parse(data) as JobPayload<N>;
}

/** The deterministic id of a job: the same event enqueued twice is one job. */
export function jobIdFor<N extends JobName>(name: N, payload: JobPayload<N>): string {
  return (JOB_CATALOG[name].jobId as (p: JobPayload<N>) => string)(payload);
}

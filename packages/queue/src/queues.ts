import { Queue, QueueEvents, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import { BACKOFF_TYPE, JOB_CATALOG, JOB_NAMES, jobIdFor, parsePayload } from './catalog.js';
import type { JobName, JobPayload } from './catalog.js';
import { ownTraceOption, telemetryOption } from './telemetry.js';

/** Jobs per pipelined addBulk chunk (see {@link JobQueues.enqueueBulk}). */
const BULK_CHUNK = 500;

/** Callers that may wait on jobs of one queue at once, per process. */
const MAX_WAITERS = 10_000;

export interface EnqueueOptions {
  /** Run no earlier than this many ms from now. */
  delay?: number;
}

/** BullMQ job options derived from the catalog entry: attempts, backoff, retention, id. */
export function jobOptions<N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  options: EnqueueOptions = {},
): JobsOptions {
  const entry = JOB_CATALOG[name];
  return {
    jobId: jobIdFor(name, payload),
    attempts: entry.attempts,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: entry.retention.completed,
    removeOnFail: entry.retention.failed,
    ...(options.delay === undefined ? {} : { delay: Math.max(0, Math.round(options.delay)) }),
  };
}

/**
 * Typed producers for every tokenlane queue, sharing one Redis connection. Payloads are
 * validated against the catalog before they reach Redis, so only ids ever get there.
 */
export class JobQueues {
  readonly #queues = new Map<JobName, Queue>();
  readonly #events = new Map<JobName, QueueEvents>();

  constructor(
    private readonly connection: ConnectionOptions,
    readonly prefix: string,
    /** Separate blocking connection settings for QueueEvents (it uses XREAD BLOCK). */
    private readonly eventsConnection: ConnectionOptions = connection,
    /**
     * Errors of the queues' own Redis loops (they retry by themselves). Without a listener
     * BullMQ prints them raw to stderr: a Redis Cluster failover makes a few.
     */
    private readonly onError?: (queue: JobName, error: Error) => void,
  ) {}

  /** The BullMQ queue of `name` (created on first use). */
  queue(name: JobName): Queue {
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        ...telemetryOption(),
      });
      // Each caller waiting on a job (Job.waitUntilFinished: the OAuth callback) listens for
      // the queue closing until its job ends: a burst of callbacks is that many listeners.
      queue.setMaxListeners(MAX_WAITERS);
      if (this.onError !== undefined) queue.on('error', (error) => this.onError?.(name, error));
      this.#queues.set(name, queue);
    }
    return queue;
  }

  /** Queue events of `name`, for callers that wait on a job (callback, token API). */
  async events(name: JobName): Promise<QueueEvents> {
    let events = this.#events.get(name);
    if (events === undefined) {
      events = new QueueEvents(name, { connection: this.eventsConnection, prefix: this.prefix });
      if (this.onError !== undefined) events.on('error', (error) => this.onError?.(name, error));
      this.#events.set(name, events);
      await events.waitUntilReady();
    }
    return events;
  }

  /** Validates and adds one job; a job with the same deterministic id is not added twice. */
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options?: EnqueueOptions,
  ): Promise<Job> {
    const data = parsePayload(name, payload);
    return this.queue(name).add(name, data, jobOptions(name, data, options));
  }

  /**
   * Adds many jobs of one queue (the sweeper's path) in pipelined chunks sent together:
   * while Redis runs one chunk's scripts, the next is being encoded, where one huge
   * pipeline would encode everything first and then wait for Redis. Traced, each job starts
   * a trace of its own: one per refresh, not one per sweep.
   */
  async enqueueBulk<N extends JobName>(
    name: N,
    jobs: { payload: JobPayload<N>; options?: EnqueueOptions }[],
  ): Promise<Job[]> {
    const queue = this.queue(name);
    const chunks: Promise<Job[]>[] = [];
    for (let start = 0; start < jobs.length; start += BULK_CHUNK) {
      const chunk = jobs.slice(start, start + BULK_CHUNK).map(({ payload, options }) => {
        const data = parsePayload(name, payload);
        return { name, data, opts: { ...jobOptions(name, data, options), ...ownTraceOption() } };
      });
      chunks.push(queue.addBulk(chunk));
    }
    return (await Promise.all(chunks)).flat();
  }

  /** Every queue of the catalog, e.g. for the dashboard and metrics. */
  all(): Queue[] {
    return JOB_NAMES.map((name) => this.queue(name));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#events.values()].map((events) => events.close()));
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    this.#events.clear();
    this.#queues.clear();
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents, type ConnectionOptions, type Job } from 'bullmq';
import type { JobDefinition, JobTarget } from './define.js';
import { jobOptions, type EnqueueOptions } from './job-options.js';
import { ownTraceOption, telemetryOption } from './telemetry.js';

/** Jobs per pipelined addBulk chunk (see {@link JobQueues.enqueueBulk}). */
const BULK_CHUNK = 500;

/** Callers that may wait on jobs of one queue at once, per process. */
const MAX_WAITERS = 10_000;

/** How a job a caller waited on ended: its result, or failed for good. */
export type Finished<Result> =
  { readonly status: 'completed'; readonly result: Result } | { readonly status: 'failed' };

/**
 * Typed producers for every tokenlane queue, sharing one Redis connection. A payload's type
 * is its job's parsed payload (branded ids only), so only ids ever reach Redis; the worker
 * parses it, once.
 */
export class JobQueues {
  readonly #queues = new Map<string, Queue>();
  readonly #events = new Map<string, QueueEvents>();

  constructor(
    private readonly connection: ConnectionOptions,
    readonly prefix: string,
    /** Separate blocking connection settings for QueueEvents (it uses XREAD BLOCK). */
    private readonly eventsConnection: ConnectionOptions = connection,
    /**
     * Errors of the queues' own Redis loops (they retry by themselves). Without a listener
     * BullMQ prints them raw to stderr: a Redis Cluster failover makes a few.
     */
    private readonly onError?: (queue: string, error: Error) => void,
  ) {}

  /** The BullMQ queue of `name` (created on first use). */
  queue(name: string): Queue {
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
  async events(name: string): Promise<QueueEvents> {
    let events = this.#events.get(name);
    if (events === undefined) {
      events = new QueueEvents(name, { connection: this.eventsConnection, prefix: this.prefix });
      if (this.onError !== undefined) events.on('error', (error) => this.onError?.(name, error));
      this.#events.set(name, events);
      await events.waitUntilReady();
    }
    return events;
  }

  /** Adds one job; a job with the same deterministic id is not added twice. */
  async enqueue<P>(job: JobTarget<P>, payload: NoInfer<P>, options?: EnqueueOptions): Promise<Job> {
    return this.queue(job.name).add(job.name, payload, jobOptions(job, payload, options));
  }

  /**
   * Adds one job and waits up to `waitMs` for its end (BullMQ's `waitUntilFinished`);
   * undefined when the wait ran out (or `waitMs` is 0).
   */
  async enqueueAndWait<P, R>(
    job: JobDefinition<never, P, R>,
    payload: NoInfer<P>,
    waitMs: number,
  ): Promise<Finished<R> | undefined> {
    const events = await this.events(job.name);
    const added = await this.enqueue(job, payload);
    if (waitMs <= 0) return undefined;
    // Our own timer decides the wait; BullMQ's (a little later) only cleans up its listeners.
    const finished = added.waitUntilFinished(events, waitMs + 1_000).then(
      (result) => ({ status: 'completed', result: result as R }) as const,
      () => ({ status: 'failed' }) as const,
    );
    const timer = new AbortController();
    const timedOut = sleep(waitMs, undefined, { signal: timer.signal }).then(
      () => undefined,
      () => undefined,
    );
    const outcome = await Promise.race([finished, timedOut]);
    timer.abort();
    return outcome;
  }

  /**
   * Adds many jobs of one queue (the sweeper's path) in pipelined chunks sent together:
   * while Redis runs one chunk's scripts, the next is being encoded, where one huge
   * pipeline would encode everything first and then wait for Redis. Traced, each job starts
   * a trace of its own: one per refresh, not one per sweep.
   */
  async enqueueBulk<P>(
    job: JobTarget<P>,
    jobs: { payload: NoInfer<P>; options?: EnqueueOptions }[],
  ): Promise<Job[]> {
    const queue = this.queue(job.name);
    const chunks: Promise<Job[]>[] = [];
    for (let start = 0; start < jobs.length; start += BULK_CHUNK) {
      const chunk = jobs.slice(start, start + BULK_CHUNK).map(({ payload, options }) => ({
        name: job.name,
        data: payload,
        opts: { ...jobOptions(job, payload, options), ...ownTraceOption() },
      }));
      chunks.push(queue.addBulk(chunk));
    }
    return (await Promise.all(chunks)).flat();
  }

  /** The queues of `names` (every job's, for the dashboard and metrics). */
  all(names: readonly string[]): Queue[] {
    return names.map((name) => this.queue(name));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#events.values()].map((events) => events.close()));
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    this.#events.clear();
    this.#queues.clear();
  }
}

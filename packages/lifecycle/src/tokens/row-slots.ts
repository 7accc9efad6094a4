/**
 * A counting semaphore: at most `size` refreshes of this process in flight across its batch
 * jobs. A batch of a hundred rows and a hundred batches of one hold the same number of
 * provider calls, Postgres rows and memory, so the process's refresh width is counted in rows
 * (TOKENLANE_REFRESH_CONCURRENCY), not in jobs.
 */
export class RowSlots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.#free = size;
  }

  /** Refreshes running now. */
  get inUse(): number {
    return this.size - this.#free;
  }

  /** Runs `work` once a slot is free, and frees it when `work` settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, or back to the pool.
      const next = this.#waiting.shift();
      if (next === undefined) this.#free += 1;
      else next();
    }
  }
}

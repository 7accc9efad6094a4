/**
 * Tells a wedged worker from an idle or busy one, from what can be seen outside BullMQ: the
 * queue's waiting jobs, checked at a fixed interval, and the times this process's worker for
 * that queue last picked a job up.
 *
 * A healthy worker takes a waiting job within milliseconds, and a busy one keeps taking them
 * as its jobs finish. So when jobs have waited at `stalledChecks` checks in a row and the
 * worker picked up none since the first of them, though it had room for more (a worker whose
 * every slot waits on a slow provider is busy, not wedged), it is not taking jobs at all. Seen after a
 * Redis Cluster failover: a BullMQ worker whose blocking connection never became ready again
 * waits on it forever, while the queue's other connections work.
 */
export class StallWatch {
  private readonly waitingSince = new Map<string, number[]>();
  private readonly lastPickup = new Map<string, number>();

  constructor(private readonly stalledChecks: number) {}

  /** The worker for `queue` took a job at `now`. */
  pickup(queue: string, now: number): void {
    this.lastPickup.set(queue, now);
  }

  /**
   * One check: `waiting` jobs of `queue` at `now`, and whether its worker's every slot is
   * taken (`full`). True when the worker should be replaced.
   */
  observe(queue: string, waiting: number, now: number, full = false): boolean {
    if (full) this.pickup(queue, now);
    if (waiting === 0) {
      this.waitingSince.delete(queue);
      return false;
    }
    const checks = [...(this.waitingSince.get(queue) ?? []), now].slice(-this.stalledChecks);
    this.waitingSince.set(queue, checks);
    const [first] = checks;
    if (checks.length < this.stalledChecks || first === undefined) return false;
    if ((this.lastPickup.get(queue) ?? -Infinity) >= first) return false;
    // Replaced: the new worker gets a whole window before it is judged.
    this.waitingSince.delete(queue);
    this.lastPickup.set(queue, now);
    return true;
  }
}

import { randomUUID } from 'node:crypto';
import type { ConnectionId } from '@tokenlane/core';
import { extendRefreshLeases, releaseRefreshLeases } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import type { RefreshOutcome } from './outcomes.js';

type LeaseDeps = Pick<LifecycleContext, 'db' | 'logger' | 'config'>;

/**
 * One run of a refresh job as a holder of refresh leases (db/src/refresh-lease.ts): its own
 * id, so no other run (not even a retry of the same job) is mistaken for it; a heartbeat every
 * third of the lease; and what it still holds. A lease is counted as held only while the last
 * renewal that kept it is less than two thirds of a lease old: a run that cannot renew (a
 * database it cannot reach) stops calling the provider before another run could take over.
 */
export class LeaseRun {
  readonly id = randomUUID();
  readonly #held = new Set<ConnectionId>();
  #validUntil = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: LeaseDeps) {}

  /** The rows the start statement sent at `sentAt` gave this run; starts the heartbeat. */
  hold(ids: readonly ConnectionId[], sentAt: number): void {
    for (const id of ids) this.#held.add(id);
    this.#renewed(sentAt);
    if (this.#timer !== undefined || ids.length === 0) return;
    this.#timer = setInterval(
      () => {
        void this.#beat();
      },
      Math.floor(this.ctx.config.refreshLeaseMs / 3),
    );
    this.#timer.unref();
  }

  /** Whether this run may still call the provider for `id`. */
  holds(id: ConnectionId): boolean {
    return this.#held.has(id) && Date.now() < this.#validUntil;
  }

  /**
   * Stops the heartbeat and gives up the leases of the rows whose refresh ended, each by
   * its outcome. A row left out (our own failure) keeps its lease started until it lapses.
   */
  async release(
    ended: readonly {
      id: ConnectionId;
      outcome: RefreshOutcome;
      /** False frees a deferred row at once (its own job could not be added). */
      heldBack?: boolean;
    }[],
  ): Promise<void> {
    clearInterval(this.#timer);
    const leaseMs = this.ctx.config.refreshLeaseMs;
    await releaseRefreshLeases(
      this.ctx.db,
      this.id,
      ended.map(({ id, outcome, heldBack }) => ({
        id,
        holdUntil: heldBack === false ? null : leaseHold(leaseMs, outcome),
        settled: settles(outcome),
      })),
    );
  }

  /** Stops the heartbeat without releasing (the leases lapse on their own). */
  abandon(): void {
    clearInterval(this.#timer);
  }

  #renewed(sentAt: number): void {
    this.#validUntil = sentAt + Math.floor((this.ctx.config.refreshLeaseMs * 2) / 3);
  }

  async #beat(): Promise<void> {
    const sentAt = Date.now();
    try {
      const kept = new Set(
        await extendRefreshLeases(
          this.ctx.db,
          this.id,
          [...this.#held],
          this.ctx.config.refreshLeaseMs,
        ),
      );
      for (const id of this.#held) if (!kept.has(id)) this.#held.delete(id);
      this.#renewed(sentAt);
    } catch (error) {
      // The next beat tries again; meanwhile `holds` turns false before the lease could lapse.
      this.ctx.logger.warn({ err: error, run: this.id }, 'refresh lease renewal failed');
    }
  }
}

/**
 * How long a refresh's lease stays held back for the connection's own job after `outcome`:
 * past a deferred refresh's wake-up (the job comes back for it), else not at all.
 */
export function leaseHold(leaseMs: number, outcome: RefreshOutcome): Date | null {
  return outcome.status === 'deferred' ? new Date(Date.now() + outcome.retryInMs + leaseMs) : null;
}

/**
 * Whether `outcome` ends what an earlier lost run left open: the provider answered, or the row
 * needs no refresh any more. A refresh that did not reach the provider keeps `interrupted`.
 */
function settles(outcome: RefreshOutcome): boolean {
  switch (outcome.status) {
    case 'deferred':
      return false;
    case 'skipped':
      return outcome.reason === 'not_found' || outcome.reason === 'not_refreshable';
    default:
      return true;
  }
}

import type { EventId } from '@tokenlane/core';
import type { DbExecutor, EventRecord } from '@tokenlane/db';

/*
 * Per-connection order (docs/api.md), with any number of worker replicas:
 *
 * - Only the *head* of a connection — its oldest undelivered event — is ever enqueued. The
 *   relay offers heads only (see {@link deliverableHeads}); a delivery, once marked, enqueues
 *   the connection's next event itself. So at most one `notify` job per connection exists
 *   and nothing polls while a receiver is down: the head waits in the queue's backoff.
 * - As a safety net against any other producer (an operator, a stale job),
 *   `deliverEvent` refuses to send an event while an older one of its connection is
 *   undelivered, and the notify worker parks that job instead of completing it (a completed
 *   job's retained id would block the event's later enqueues).
 * - The relay trusts that seq order is commit order per connection: state-change events are
 *   written in the transaction that updates, and so row-locks, their connection, so a later one
 *   cannot commit first. (A re-link's `link.created` / `link.failed` take no such lock; in the
 *   rare race with a state change those two may arrive in either order.)
 *
 * Events without a connection (a `link.created` before any connection) are unordered: each is
 * its own head.
 */

/** Each connection's oldest event in `undelivered` plus every event without a connection. */
export function deliverableHeads(undelivered: readonly EventRecord[]): EventRecord[] {
  const seen = new Set<string>();
  const heads: EventRecord[] = [];
  for (const event of [...undelivered].sort((a, b) => a.seq - b.seq)) {
    if (event.deliveredAt !== null) continue;
    if (event.connectionId !== null) {
      if (seen.has(event.connectionId)) continue;
      seen.add(event.connectionId);
    }
    heads.push(event);
  }
  return heads;
}

/** The oldest undelivered event of the same connection older than `event`, if any. */
export function undeliveredPredecessor(
  db: DbExecutor,
  event: EventRecord,
): Promise<EventId | undefined> {
  return oldestUndelivered(db, event, '<');
}

/** The connection's next undelivered event after `event` (index on connection_id, seq). */
export function undeliveredSuccessor(
  db: DbExecutor,
  event: EventRecord,
): Promise<EventId | undefined> {
  return oldestUndelivered(db, event, '>');
}

async function oldestUndelivered(
  db: DbExecutor,
  event: EventRecord,
  side: '<' | '>',
): Promise<EventId | undefined> {
  if (event.connectionId === null) return undefined;
  const row = await db
    .selectFrom('events')
    .select('id')
    .where('connection_id', '=', event.connectionId)
    .where('seq', side, event.seq)
    .where('delivered_at', 'is', null)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

import { isUuid, newEventId } from '@tokenlane/core';
import type { ConnectionId, EventId, EventType, LinkSessionId } from '@tokenlane/core';
import { sql, type Selectable } from 'kysely';
import { jsonb } from './json.js';
import type { DbExecutor, EventsTable, JsonObject } from './schema.js';

/** One lifecycle event in the outbox. */
export interface EventRecord {
  /** What receivers dedupe on. */
  readonly id: EventId;
  /** Cursor for `GET /v1/events?after=`. */
  readonly seq: number;
  readonly type: EventType;
  readonly connectionId: ConnectionId | null;
  readonly linkSessionId: LinkSessionId | null;
  readonly userId: string | null;
  readonly provider: string | null;
  readonly data: JsonObject;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
  readonly deliveryAttempts: number;
  readonly lastDeliveryError: string | null;
}

/** A new event; `data` must never hold a secret (docs/architecture.md, rule 1). */
export interface NewEvent {
  readonly type: EventType;
  readonly connectionId?: ConnectionId | undefined;
  readonly linkSessionId?: LinkSessionId | undefined;
  readonly userId?: string | undefined;
  readonly provider?: string | undefined;
  readonly data: JsonObject;
}

const columns = [
  'id',
  'seq',
  'type',
  'connection_id',
  'link_session_id',
  'user_id',
  'provider',
  'data',
  'created_at',
  'delivered_at',
  'delivery_attempts',
  'last_delivery_error',
] as const;

function toEvent(row: Pick<Selectable<EventsTable>, (typeof columns)[number]>): EventRecord {
  return {
    id: row.id,
    seq: row.seq,
    type: row.type,
    connectionId: row.connection_id,
    linkSessionId: row.link_session_id,
    userId: row.user_id,
    provider: row.provider,
    data: row.data,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    deliveryAttempts: row.delivery_attempts,
    lastDeliveryError: row.last_delivery_error,
  };
}

/** Appends an event; pass the transaction that makes the change it reports. */
export async function appendEvent(trx: DbExecutor, input: NewEvent): Promise<EventRecord> {
  const row = await trx
    .insertInto('events')
    .values({
      id: newEventId(),
      type: input.type,
      connection_id: input.connectionId ?? null,
      link_session_id: input.linkSessionId ?? null,
      user_id: input.userId ?? null,
      provider: input.provider ?? null,
      data: jsonb(input.data),
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toEvent(row);
}

/** Who a connection event is about: the fields every such event carries, row and `data`. */
export interface EventSubject {
  readonly id: ConnectionId;
  readonly userId: string;
  readonly provider: string;
}

/**
 * Appends an event about one connection: its id, user and provider go on the row (for
 * filtering) and into `data` (what the backend receives), beside the event's own fields.
 */
export function appendConnectionEvent(
  trx: DbExecutor,
  subject: EventSubject,
  event: {
    readonly type: EventType;
    readonly linkSessionId?: LinkSessionId | undefined;
    readonly data: JsonObject;
  },
): Promise<EventRecord> {
  const about = { connectionId: subject.id, userId: subject.userId, provider: subject.provider };
  return appendEvent(trx, {
    type: event.type,
    linkSessionId: event.linkSessionId,
    ...about,
    data: { ...event.data, ...about },
  });
}

/** The event, or undefined. */
export async function findEvent(db: DbExecutor, id: EventId): Promise<EventRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('events').select(columns).where('id', '=', id).executeTakeFirst();
  return row && toEvent(row);
}

/** Cursor for {@link listEvents}: the last `seq` seen. */
export interface ListEventsQuery {
  readonly after?: number | undefined;
  readonly limit: number;
}

/**
 * Events after `seq`, oldest first. Identity values are taken at insert but become visible
 * at commit, so seq 7 can appear before seq 6; handing out 7 would make a cursor reader skip
 * 6 forever. Hence only events of transactions older than every running one are listed.
 */
export async function listEvents(db: DbExecutor, query: ListEventsQuery): Promise<EventRecord[]> {
  const rows = await db
    .selectFrom('events')
    .select(columns)
    .where('seq', '>', query.after ?? 0)
    .where(sql<boolean>`tx_id < pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy('seq')
    .limit(query.limit)
    .execute();
  return rows.map(toEvent);
}

/** A connection's latest events, newest first (index on connection_id, seq): its timeline. */
export async function listConnectionEvents(
  db: DbExecutor,
  connectionId: ConnectionId,
  limit: number,
): Promise<EventRecord[]> {
  if (!isUuid(connectionId)) return [];
  const rows = await db
    .selectFrom('events')
    .select(columns)
    .where('connection_id', '=', connectionId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

/** Undelivered events, oldest first, for the notify sweeper (partial index on seq). */
export async function listUndeliveredEvents(db: DbExecutor, limit: number): Promise<EventRecord[]> {
  const rows = await db
    .selectFrom('events')
    .select(columns)
    .where('delivered_at', 'is', null)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

/** Records a successful delivery; a repeated call changes nothing (at-least-once delivery). */
export async function markDelivered(db: DbExecutor, id: EventId): Promise<void> {
  await db
    .updateTable('events')
    .set({
      delivered_at: sql<Date>`now()`,
      delivery_attempts: sql<number>`delivery_attempts + 1`,
      last_delivery_error: null,
    })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .execute();
}

/** Records a failed delivery attempt; `errorCode` is a code, never a response body. */
export async function recordDeliveryFailure(
  db: DbExecutor,
  id: EventId,
  errorCode: string,
): Promise<void> {
  await db
    .updateTable('events')
    .set({
      delivery_attempts: sql<number>`delivery_attempts + 1`,
      last_delivery_error: errorCode,
    })
    .where('id', '=', id)
    .execute();
}

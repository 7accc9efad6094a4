import { canTransition } from '@tokenlane/core';
import type { ConnectionId, ConnectionStatus } from '@tokenlane/core';
import {
  patchColumns,
  toConnection,
  type Connection,
  type ConnectionPatch,
} from './connection-rows.js';
import { findConnectionForUpdate } from './connections.js';
import { appendConnectionEvent, type EventRecord, type NewEvent } from './events.js';
import type { DbExecutor } from './schema.js';

/** Why a transition was refused. */
export const TRANSITION_ERROR_CODES = ['invalid_transition', 'connection_not_found'] as const;
export type TransitionErrorCode = (typeof TRANSITION_ERROR_CODES)[number];

/** A status change the transition table does not allow, or of a connection that is gone. */
export class TransitionError extends Error {
  override readonly name = 'TransitionError';
  readonly retryable = false;
  constructor(
    readonly code: TransitionErrorCode,
    readonly connectionId: ConnectionId,
    readonly from: ConnectionStatus | undefined,
    readonly to: ConnectionStatus,
  ) {
    super(
      code === 'connection_not_found'
        ? `connection ${connectionId} not found`
        : `connection ${connectionId} cannot move from ${String(from)} to ${to}`,
    );
  }
}

/** The event a transition writes; connection, user and provider come from the row. */
export type TransitionEvent = Pick<NewEvent, 'type' | 'data' | 'linkSessionId'>;

/** The row after the move, and the event that reports it. */
export interface TransitionResult {
  readonly connection: Connection;
  readonly event: EventRecord;
}

/**
 * The one place a connection's status changes: locks the row, checks the transition table,
 * writes the row and its event in `trx` (docs/architecture.md, "Connection statuses"). Event data always carries
 * `connectionId`, `userId`, `provider` and the new `status`. Throws {@link TransitionError}.
 */
export async function transitionConnection(
  trx: DbExecutor,
  id: ConnectionId,
  to: ConnectionStatus,
  patch: ConnectionPatch,
  event: TransitionEvent,
): Promise<TransitionResult> {
  if (!trx.isTransaction) throw new Error('transitionConnection must run inside a transaction');
  const current = await findConnectionForUpdate(trx, id);
  if (current === undefined) throw new TransitionError('connection_not_found', id, undefined, to);
  if (!canTransition(current.status, to)) {
    throw new TransitionError('invalid_transition', id, current.status, to);
  }
  const row = await trx
    .updateTable('connections')
    .set({ ...patchColumns(patch), status: to })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const connection = toConnection(row);
  const written = await appendConnectionEvent(trx, connection, {
    type: event.type,
    linkSessionId: event.linkSessionId,
    data: { ...event.data, status: to },
  });
  return { connection, event: written };
}

import type { Connection, EventRecord } from '@tokenlane/db';

/**
 * A connection as the CLI shows it: the same fields as the HTTP API's view, picked one by
 * one so a column added to the row (a new ciphertext) never shows by default.
 */
export interface ConnectionView {
  readonly id: string;
  readonly userId: string;
  readonly provider: string;
  readonly providerUserId: string | null;
  readonly status: string;
  readonly scopes: readonly string[];
  readonly expiresAt: string | null;
  readonly refreshDueAt: string | null;
  readonly lastRefreshedAt: string | null;
  readonly lastErrorCode: string | null;
  readonly refreshAttempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly revokedAt: string | null;
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export function toConnectionView(connection: Connection): ConnectionView {
  return {
    id: connection.id,
    userId: connection.userId,
    provider: connection.provider,
    providerUserId: connection.providerUserId,
    status: connection.status,
    scopes: [...connection.scopes],
    expiresAt: iso(connection.expiresAt),
    refreshDueAt: iso(connection.refreshDueAt),
    lastRefreshedAt: iso(connection.lastRefreshedAt),
    lastErrorCode: connection.lastErrorCode,
    refreshAttempts: connection.refreshAttempts,
    createdAt: connection.createdAt.toISOString(),
    updatedAt: connection.updatedAt.toISOString(),
    revokedAt: iso(connection.revokedAt),
  };
}

/** A lifecycle event as `GET /v1/events` shows it (the outbox row minus delivery state). */
export interface EventView {
  readonly id: string;
  readonly cursor: string;
  readonly type: string;
  readonly createdAt: string;
  readonly connectionId: string | null;
  readonly linkId: string | null;
  readonly userId: string | null;
  readonly provider: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export function toEventView(event: EventRecord): EventView {
  return {
    id: event.id,
    cursor: String(event.seq),
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    connectionId: event.connectionId,
    linkId: event.linkSessionId,
    userId: event.userId,
    provider: event.provider,
    data: { ...event.data },
  };
}

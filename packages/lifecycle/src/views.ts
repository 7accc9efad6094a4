import type { ConnectionStatus, EventType } from '@tokenlane/core';
import type { Connection, EventRecord } from '@tokenlane/db';

/** A connection as operators and backends see it: never a token, a ciphertext or its version. */
export interface ConnectionView {
  id: string;
  userId: string;
  provider: string;
  providerUserId: string | null;
  status: ConnectionStatus;
  scopes: string[];
  expiresAt: string | null;
  refreshDueAt: string | null;
  lastRefreshedAt: string | null;
  lastErrorCode: string | null;
  refreshAttempts: number;
  createdAt: string;
  updatedAt: string;
  revokedAt: string | null;
  /** A reconsent migration waits for the user to link `to` (null: none pending). */
  migration: { to: string; requestedAt: string } | null;
  /** The provider's identity look-up has not answered since (providerUserId follows); or null. */
  identityPendingSince: string | null;
}

/** A lifecycle event as `GET /v1/events` and `tokenlane events tail` list it. */
export interface EventView {
  id: string;
  /** Pass as `after` to list the events that follow this one. */
  cursor: string;
  type: EventType;
  createdAt: string;
  connectionId: string | null;
  linkId: string | null;
  userId: string | null;
  provider: string | null;
  data: Record<string, unknown>;
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

/**
 * The one place a connection row becomes a view (HTTP API and CLI alike). Fields are picked
 * one by one, so a column added to the row (a new ciphertext) never shows by default.
 */
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
    migration:
      connection.migrationTo === null
        ? null
        : {
            to: connection.migrationTo,
            requestedAt: (connection.migrationRequestedAt ?? connection.updatedAt).toISOString(),
          },
    identityPendingSince: iso(connection.identityPendingSince),
  };
}

/** An outbox row as a view: the event minus its delivery state. */
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

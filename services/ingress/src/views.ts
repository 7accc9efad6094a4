import { CONNECTION_STATUSES, EVENT_TYPES } from '@tokenlane/core';
import { z } from 'zod';

/** An ISO 8601 UTC timestamp; documented as `date-time`, not re-validated on the way out. */
const timestamp = z.string().meta({ format: 'date-time' });
const nullableTimestamp = timestamp.nullable();

/** A connection as the API shows it: never a token, a ciphertext or the token version. */
export const connectionViewSchema = z
  .object({
    id: z.string().describe('Connection id (a UUID)'),
    userId: z.string(),
    provider: z.string(),
    providerUserId: z.string().nullable(),
    status: z.enum(CONNECTION_STATUSES),
    scopes: z.array(z.string()),
    expiresAt: nullableTimestamp.describe('When the current access token expires'),
    refreshDueAt: nullableTimestamp.describe('When tokenlane next refreshes the tokens'),
    lastRefreshedAt: nullableTimestamp,
    lastErrorCode: z.string().nullable(),
    refreshAttempts: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
    revokedAt: nullableTimestamp,
    migration: z
      .object({
        to: z
          .string()
          .describe('Link this provider for the connection (same id) while the user is present'),
        requestedAt: timestamp,
      })
      .nullable()
      .describe('A pending reconsent migration; the connection keeps working meanwhile'),
    identityPendingSince: nullableTimestamp.describe(
      'Since when the provider has not said who the user is (its identity look-up failed at the link): `providerUserId` is null until it does (`connection.identity_resolved`)',
    ),
  })
  .meta({ id: 'Connection' });

export type ConnectionView = z.output<typeof connectionViewSchema>;

export { toConnectionView, toEventView } from '@tokenlane/lifecycle';

/** A lifecycle event as `GET /v1/events` lists it (the outbox row, minus delivery state). */
export const eventViewSchema = z
  .object({
    id: z.string().describe('Event id (a UUID), stable across redeliveries: dedupe on it'),
    cursor: z.string().describe('Pass as `after` to list the events that follow this one'),
    type: z.enum(EVENT_TYPES),
    createdAt: timestamp,
    connectionId: z.string().nullable(),
    linkId: z.string().nullable(),
    userId: z.string().nullable(),
    provider: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Event' });

export type EventView = z.output<typeof eventViewSchema>;

/** `{ data, nextCursor }`: `nextCursor` is null on the last page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `after` for the next page; null when this page is the last'),
  });
}

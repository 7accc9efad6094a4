import { namedConnectionId, namedEventId, namedLinkSessionId } from '@tokenlane/core';
import { z } from 'zod';

/*
 * The ids job payloads carry, parsed from the job's data: a string from Redis becomes a
 * branded id here, once, so no operation ever casts one.
 */
export const connectionIdSchema = z.uuid().transform(namedConnectionId);
export const linkSessionIdSchema = z.uuid().transform(namedLinkSessionId);
export const eventIdSchema = z.uuid().transform(namedEventId);
/** A provider migration's id (a UUID the database generated). */
export const migrationIdSchema = z.uuid();

/** The retention of a recurring job: its last few runs, for an operator to look at. */
export const RECURRING_RETENTION = { completed: { count: 10 }, failed: { count: 100 } } as const;

/** A recurring job has one id (its scheduler's) and a single attempt: the next run is the retry. */
export const RECURRING = {
  payload: z.strictObject({}),
  attempts: 1,
  backoff: { baseMs: 1_000, capMs: 1_000 },
  retention: RECURRING_RETENTION,
  // The scheduler runs one at a time: a second would only repeat the first one's work.
  concurrency: 1,
} as const;

import { randomUUID } from 'node:crypto';

declare const brand: unique symbol;
/** A string that the compiler keeps apart from other strings of another brand. */
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };

export type ConnectionId = Brand<string, 'ConnectionId'>;
export type LinkSessionId = Brand<string, 'LinkSessionId'>;
export type EventId = Brand<string, 'EventId'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `value` has the shape of an id tokenlane generated (a lowercase UUID). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/*
 * The id a caller named (a route parameter, a CLI argument, a job payload), branded without a
 * look-up: the one place a string becomes an id. The brand says "meant as this kind of id";
 * the repositories answer one that names nothing, or is malformed, as not found.
 */
export const namedConnectionId = (value: string): ConnectionId => value as ConnectionId;
export const namedLinkSessionId = (value: string): LinkSessionId => value as LinkSessionId;
export const namedEventId = (value: string): EventId => value as EventId;

export const newConnectionId = (): ConnectionId => namedConnectionId(randomUUID());
export const newLinkSessionId = (): LinkSessionId => namedLinkSessionId(randomUUID());
export const newEventId = (): EventId => namedEventId(randomUUID());

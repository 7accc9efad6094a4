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

export const newConnectionId = (): ConnectionId => randomUUID() as ConnectionId;
export const newLinkSessionId = (): LinkSessionId => randomUUID() as LinkSessionId;
export const newEventId = (): EventId => randomUUID() as EventId;

/** Lifecycle event types delivered to backends (DESIGN.md §5, "Outgoing events"). */
export const EVENT_TYPES = [
  'link.created',
  'link.failed',
  'connection.created',
  'connection.refreshed',
  'connection.refresh_failed',
  'connection.degraded',
  'connection.reauth_required',
  'connection.revoked',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

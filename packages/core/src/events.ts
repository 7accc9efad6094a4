/** Lifecycle event types delivered to backends (docs/api.md, "Events"). */
export const EVENT_TYPES = [
  'link.created',
  'link.failed',
  'connection.created',
  'connection.refreshed',
  'connection.refresh_failed',
  'connection.degraded',
  'connection.recovered',
  'connection.reauth_required',
  'connection.revoked',
  /** Provider-level (`connectionId` null): its token endpoint refuses our credentials or keeps failing. */
  'provider.unhealthy',
  /** Provider-level: a probe succeeded after `provider.unhealthy`; its refreshes resume. */
  'provider.recovered',
  /** A token was read through the token API (only with TOKENLANE_AUDIT_TOKEN_READS=true). */
  'connection.token_read',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

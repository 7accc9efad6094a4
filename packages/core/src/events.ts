/** Lifecycle event types delivered to backends (docs/api.md, "Events"). */
export const EVENT_TYPES = [
  'link.created',
  'link.failed',
  'connection.created',
  /**
   * The provider's identity look-up answered after a link that completed without it:
   * `data.providerUserId` is now the connection's (docs/api.md, "Re-links: same account only").
   */
  'connection.identity_resolved',
  'connection.refreshed',
  'connection.refresh_failed',
  'connection.degraded',
  'connection.recovered',
  'connection.reauth_required',
  'connection.revoked',
  /** A `reconsent` migration asks for the user: link `data.to` while they are present (no URL). */
  'connection.migration_requested',
  /** The connection now lives at its provider's successor, same id: `fromProvider`, `toProvider`, `mode`. */
  'connection.migrated',
  /** The refresh token will expire on its own at `data.expiresAt`: the user must re-link before. */
  'connection.expiring',
  /** Provider-level (`connectionId` null): its token endpoint refuses our credentials or keeps failing. */
  'provider.unhealthy',
  /** Provider-level: a probe succeeded after `provider.unhealthy`; its refreshes resume. */
  'provider.recovered',
  /** A token was read through the token API (only with TOKENLANE_AUDIT_TOKEN_READS=true). */
  'connection.token_read',
  /** Migration-level (`connectionId` null): every connection of a migration has its outcome. */
  'migration.completed',
  /**
   * Migration-level: the run stopped itself (or an operator stopped it) before it could harm:
   * `data.reason` is `credentials`, `clock`, `failure_rate` or `operator`. Pending connections wait.
   */
  'migration.paused',
  /** Migration-level: a paused run goes on (`POST /v1/migrations/:id/resume`). */
  'migration.resumed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Lifecycle of a connection (docs/architecture.md, "Connection statuses"). A connection is
 * born `active` by its link's exchange; until then the link session carries the state.
 */
export const CONNECTION_STATUSES = ['active', 'degraded', 'reauth_required', 'revoked'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * The allowed moves, as data. A move to the same status is allowed where the row changes
 * without changing state (a refresh of an active connection, a re-link of an active one).
 */
export const CONNECTION_TRANSITIONS = {
  active: ['active', 'degraded', 'reauth_required', 'revoked'],
  degraded: ['active', 'degraded', 'reauth_required', 'revoked'],
  reauth_required: ['active', 'reauth_required', 'revoked'],
  revoked: ['active'],
} as const satisfies Record<ConnectionStatus, readonly ConnectionStatus[]>;

export function canTransition(from: ConnectionStatus, to: ConnectionStatus): boolean {
  return (CONNECTION_TRANSITIONS[from] as readonly ConnectionStatus[]).includes(to);
}

/** Statuses in which tokenlane keeps refreshing the connection's tokens. */
export const REFRESHABLE_STATUSES = [
  'active',
  'degraded',
] as const satisfies readonly ConnectionStatus[];

/** Whether tokenlane keeps refreshing a connection in `status` (and serves its token). */
export function isRefreshable(status: ConnectionStatus): boolean {
  return (REFRESHABLE_STATUSES as readonly ConnectionStatus[]).includes(status);
}

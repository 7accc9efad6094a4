/**
 * The HTTP API's response shapes (docs/api.md), declared here so the SDK does not depend on
 * the ingress service. Timestamps are ISO 8601 strings, as on the wire.
 */

// The closed sets come from the domain model itself, so the SDK cannot drift from the server.
import type { ConnectionStatus, EventType } from '@tokenlane/core';

export { CONNECTION_STATUSES, EVENT_TYPES } from '@tokenlane/core';
export type { ConnectionStatus, EventType } from '@tokenlane/core';

/** A connection as the API shows it: never its tokens. */
export interface Connection {
  readonly id: string;
  readonly userId: string;
  readonly provider: string;
  readonly providerUserId: string | null;
  readonly status: ConnectionStatus;
  readonly scopes: readonly string[];
  readonly expiresAt: string | null;
  readonly refreshDueAt: string | null;
  readonly lastRefreshedAt: string | null;
  readonly lastErrorCode: string | null;
  readonly refreshAttempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly revokedAt: string | null;
  /** A reconsent migration waits for the user to link `to` (same connection id). */
  readonly migration: { readonly to: string; readonly requestedAt: string } | null;
  /**
   * The provider could not say who the user is when the link completed: `providerUserId` is
   * null until it does (`connection.identity_resolved`); null when nothing is pending.
   */
  readonly identityPendingSince: string | null;
}

/** One page of a list; pass `nextCursor` as `after` for the next one (null: last page). */
export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}

export interface CreateLinkInput {
  /** Your id for the end user. */
  readonly userId: string;
  readonly provider: string;
  /** Where the user lands afterwards; must match `TOKENLANE_ALLOWED_RETURN_URLS`. */
  readonly returnUrl?: string;
  readonly scopes?: readonly string[];
  /** Re-link this connection instead of creating one (prefer {@link RelinkInput}). */
  readonly connectionId?: string;
}

/** `POST /v1/connections/:id/relink`: re-authorize a connection in place. */
export interface RelinkInput {
  /** The connection's own provider (default) or its declared successor. */
  readonly provider?: string;
  /** Where the user lands afterwards; must match `TOKENLANE_ALLOWED_RETURN_URLS`. */
  readonly returnUrl?: string;
}

/** A started link: send the user to `linkWebUrl` (or show it, for the PIN method). */
export interface Link {
  readonly linkId: string;
  readonly linkWebUrl: string;
  readonly method: 'redirect' | 'pin';
  readonly expiresAt: string;
}

export interface PinResult {
  readonly connectionId: string;
  readonly status: string;
}

export interface ListConnectionsQuery {
  readonly userId?: string;
  readonly provider?: string;
  readonly status?: ConnectionStatus;
  /** `nextCursor` of the previous page. */
  readonly after?: string;
  /** 1–200; the server's default is 50. */
  readonly limit?: number;
}

/** An OAuth 2.0 access token, valid for at least the requested `minValidity`. */
export interface OAuth2AccessToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresAt: string | null;
}

/** OAuth 1.0a credentials: sign requests with both. */
export interface OAuth1AccessToken {
  readonly token: string;
  readonly tokenSecret: string;
}

export type AccessToken = OAuth2AccessToken | OAuth1AccessToken;

export function isOAuth1Token(token: AccessToken): token is OAuth1AccessToken {
  return 'tokenSecret' in token;
}

export interface GetTokenOptions {
  /** Seconds the token must stay valid; tokenlane refreshes first if needed (default 30). */
  readonly minValidity?: number;
}

/** A lifecycle event from `GET /v1/events`. */
export interface TokenlaneEvent {
  /** Stable across redeliveries: dedupe on it. */
  readonly id: string;
  /** Pass as `after` to list the events that follow this one. */
  readonly cursor: string;
  readonly type: EventType;
  readonly createdAt: string;
  readonly connectionId: string | null;
  readonly linkId: string | null;
  readonly userId: string | null;
  readonly provider: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface ListEventsQuery {
  /** A `cursor` (or `nextCursor`) already seen; omit to start at the beginning. */
  readonly after?: string;
  readonly limit?: number;
}

/** A provider this deployment knows. */
export interface ProviderInfo {
  readonly id: string;
  readonly displayName: string;
  readonly kind: 'oauth2' | 'oauth1';
  readonly method: 'redirect' | 'pin';
  readonly configured: boolean;
  readonly custom: boolean;
  readonly deprecated: { note: string; sunset?: string; replacedBy?: string } | null;
  /** When the provider stops answering (ISO date); null when it has no sunset. */
  readonly sunsetAt: string | null;
  /** Where its users move. */
  readonly successor: string | null;
  /** The sunset has passed: new links are refused with 410 `provider_retired`. */
  readonly retired: boolean;
  /** Its users can move to the successor without them (`token_exchange`). */
  readonly tokenExchange: boolean;
}

/** `POST /v1/migrations`: move `from`'s connections to its declared successor `to`. */
export interface StartMigrationInput {
  readonly from: string;
  readonly to: string;
  /** Default: `token_exchange` where `from` supports it, else `reconsent`. */
  readonly mode?: 'token_exchange' | 'reconsent';
  readonly connectionIds?: readonly string[];
  /** Report what would happen; change nothing. */
  readonly dryRun?: boolean;
}

/** A provider migration and its counts (`total` is the sum of the others). */
export interface Migration {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly mode: 'token_exchange' | 'reconsent';
  readonly status: 'running' | 'paused' | 'completed' | 'cancelled';
  /** Why a `paused` run stopped: `credentials`, `clock`, `failure_rate` or `operator`. */
  readonly pausedReason: string | null;
  readonly dryRun: boolean;
  readonly counts: {
    readonly total: number;
    readonly pending: number;
    readonly migrated: number;
    readonly awaitingConsent: number;
    readonly reauthRequired: number;
    readonly failed: number;
    readonly skipped: number;
  };
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

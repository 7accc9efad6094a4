import { canTransition, newEventId, REFRESHABLE_STATUSES } from '@tokenlane/core';
import type { EventId } from '@tokenlane/core';
import type { Ciphertext } from '@tokenlane/vault';
import { sql } from 'kysely';
import type { Connection } from './connection-rows.js';
import { jsonb } from './json.js';
import type { DbExecutor } from './schema.js';

/** What a successful refresh writes: the new tokens, sealed, and when to refresh next. */
export interface RefreshedTokens {
  readonly accessTokenEnc: Ciphertext;
  readonly refreshTokenEnc: Ciphertext | null;
  readonly tokenType: string | null;
  readonly expiresAt: Date | null;
  readonly refreshTokenExpiresAt: Date | null;
  /** Undefined keeps the granted scopes (the answer named none). */
  readonly scopes?: readonly string[] | undefined;
  readonly refreshDueAt: Date | null;
  readonly refreshedAt: Date;
}

/** One refresh to store: the row as the refresh read it, and what the provider answered. */
export interface RefreshWriteRequest {
  readonly connection: Pick<Connection, 'id' | 'userId' | 'provider' | 'tokenVersion'>;
  readonly tokens: RefreshedTokens;
  /** Who asked for this refresh and how long the provider took, kept in the event. */
  readonly attempt?: RefreshAttempt | undefined;
}

/** One refresh attempt as its event records it (`trigger`, `durationMs`). */
export interface RefreshAttempt {
  readonly trigger: string;
  readonly durationMs: number;
}

/** The stored refresh: the row's new version and the `connection.refreshed` event. */
export interface RefreshWrite {
  readonly tokenVersion: number;
  readonly eventId: EventId;
}

// A refresh leaves the connection `active`: from `active`, or from any refreshable status
// the transition table lets move to `active` (today `degraded`). Literals, like the sweeper's.
const writableStatuses = sql.join(
  REFRESHABLE_STATUSES.filter(
    (status) => status === 'active' || canTransition(status, 'active'),
  ).map((status) => sql.lit(status)),
);

/**
 * The write of successful refreshes, any number in one statement: for each, compare-and-set
 * the new tokens on `token_version` (and a refreshable status, so a connection revoked
 * meanwhile is never re-armed), mark it `active`, clear the failure count, and append its
 * `connection.refreshed` event only if its row was written (and `connection.recovered` when
 * it was `degraded`; `previous` is the row as the statement found it). One statement is atomic on its
 * own and one round trip, where BEGIN, UPDATE, INSERT, COMMIT per refresh were four: this is
 * the hot path. The answer is in request order; undefined means that race was lost.
 */
export async function storeRefreshedTokens(
  db: DbExecutor,
  requests: readonly RefreshWriteRequest[],
): Promise<(RefreshWrite | undefined)[]> {
  if (requests.length === 0) return [];
  const eventIds = requests.map(() => newEventId());
  const column = <T>(pick: (request: RefreshWriteRequest) => T) => requests.map(pick);
  // The event's data is built by the statement from the row and a few columns: no JSON of
  // ours to stringify, escape into an array and send per row (bench/, section 1). Its
  // `expiresAt` is the ISO text sent here, as events have always carried it.
  const { rows } = await sql<{ id: EventId }>`
    with input as (
      select * from unnest(
        ${column((r) => r.connection.id)}::uuid[],
        ${column((r) => r.connection.tokenVersion)}::integer[],
        ${column((r) => r.tokens.accessTokenEnc)}::text[],
        ${column((r) => r.tokens.refreshTokenEnc)}::text[],
        ${column((r) => r.tokens.tokenType)}::text[],
        ${column((r) => r.tokens.expiresAt?.toISOString() ?? null)}::text[],
        ${column((r) => r.tokens.refreshTokenExpiresAt)}::timestamptz[],
        ${column((r) => (r.tokens.scopes === undefined ? null : jsonb(r.tokens.scopes)))}::jsonb[],
        ${column((r) => r.tokens.refreshDueAt)}::timestamptz[],
        ${column((r) => r.tokens.refreshedAt)}::timestamptz[],
        ${eventIds}::uuid[],
        ${column((r) => r.attempt?.trigger ?? null)}::text[],
        ${column((r) => r.attempt?.durationMs ?? null)}::integer[]
      ) as input(id, expected_version, access_token_enc, refresh_token_enc, token_type,
                 expires_at, refresh_token_expires_at, scopes, refresh_due_at, refreshed_at,
                 event_id, trigger, duration_ms)
    ),
    written as (
      update connections c set
        access_token_enc = input.access_token_enc,
        refresh_token_enc = input.refresh_token_enc,
        token_secret_enc = null,
        token_type = input.token_type,
        expires_at = input.expires_at::timestamptz,
        refresh_token_expires_at = input.refresh_token_expires_at,
        scopes = coalesce(input.scopes, c.scopes),
        refresh_due_at = input.refresh_due_at,
        last_refreshed_at = input.refreshed_at,
        refresh_attempts = 0,
        last_error_code = null,
        last_error_at = null,
        failing_since = null,
        status = 'active',
        token_version = c.token_version + 1,
        updated_at = now()
      from input, connections previous
      where c.id = input.id
        and previous.id = c.id
        and c.token_version = input.expected_version
        and c.status in (${writableStatuses})
      returning c.id, c.user_id, c.provider, input.event_id,
        -- The event's data: the row's identity and the answer; expiresAt as the ISO text sent.
        jsonb_build_object(
          'connectionId', c.id, 'userId', c.user_id, 'provider', c.provider,
          'status', 'active', 'expiresAt', input.expires_at
        ) || case when input.trigger is null then '{}'::jsonb else jsonb_build_object(
          'trigger', input.trigger, 'durationMs', input.duration_ms
        ) end as event_data,
        previous.status as previous_status
    )
    insert into events (id, type, connection_id, user_id, provider, data)
    select event_id, 'connection.refreshed', id, user_id, provider, event_data from written
    union all
    select gen_random_uuid(), 'connection.recovered', id, user_id, provider, event_data
      from written where previous_status = 'degraded'
    returning id`.execute(db);
  // Two requests for one row (never from one refresh job at a time) update it once: the
  // event id says whose write it was.
  const stored = new Set(rows.map((row) => row.id));
  return requests.map((request, index) => {
    const eventId = eventIds[index];
    return eventId !== undefined && stored.has(eventId)
      ? { tokenVersion: request.connection.tokenVersion + 1, eventId }
      : undefined;
  });
}

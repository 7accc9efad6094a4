import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import type { Ciphertext } from '@tokenlane/vault';
import type { Insertable, Selectable, UpdateObject } from 'kysely';
import { jsonb } from './json.js';
import type { Database, LinkMethod, LinkSessionStatus, LinkSessionsTable } from './schema.js';

/** A link session: one attempt to authorize a provider, secrets kept as ciphertexts. */
export interface LinkSession {
  readonly id: LinkSessionId;
  readonly provider: string;
  readonly userId: string;
  /** Set when the link re-authorizes an existing connection. */
  readonly connectionId: ConnectionId | null;
  readonly method: LinkMethod;
  /** Hex SHA-256 of the state; the state itself is never stored. */
  readonly stateHash: string;
  readonly requestTokenHash: string | null;
  readonly requestTokenSecretEnc: Ciphertext | null;
  readonly codeVerifierEnc: Ciphertext | null;
  readonly codeEnc: Ciphertext | null;
  readonly returnUrl: string | null;
  readonly scopes: readonly string[];
  readonly status: LinkSessionStatus;
  readonly errorCode: string | null;
  readonly resultConnectionId: ConnectionId | null;
  /** When the state was consumed; non-null means the callback already happened. */
  readonly callbackAt: Date | null;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
  /** The `linkWebUrl` handed out, so a live re-link can be handed out again. */
  readonly linkUrlEnc: Ciphertext | null;
  /** SHA-256 of the one-time `/connect/<id>` id of a browser-bound link. */
  readonly connectHash: string | null;
  /** The provider URL `/connect/<id>` redirects to (it carries the state). */
  readonly authorizeUrlEnc: Ciphertext | null;
  /** SHA-256 of the nonce the opening browser got as a cookie. */
  readonly browserNonceHash: string | null;
  /** When `/connect/<id>` was opened; a link opens once. */
  readonly openedAt: Date | null;
  /** Wrong PINs submitted so far. */
  readonly pinAttempts: number;
  /** The W3C traceparent of the request that started the link; its callback continues it. */
  readonly traceparent: string | null;
}

/** What a link session write may change after creation. */
export interface LinkSessionPatch {
  readonly connectionId?: ConnectionId | null;
  readonly requestTokenHash?: string | null;
  readonly requestTokenSecretEnc?: Ciphertext | null;
  readonly codeVerifierEnc?: Ciphertext | null;
  readonly codeEnc?: Ciphertext | null;
  readonly status?: LinkSessionStatus;
  readonly errorCode?: string | null;
  readonly resultConnectionId?: ConnectionId | null;
  readonly completedAt?: Date | null;
  readonly linkUrlEnc?: Ciphertext | null;
  readonly connectHash?: string | null;
  readonly authorizeUrlEnc?: Ciphertext | null;
}

/** A new link session; the id comes from the caller because ciphertexts are bound to it. */
export interface NewLinkSession extends Omit<LinkSessionPatch, 'status' | 'completedAt'> {
  readonly id: LinkSessionId;
  readonly provider: string;
  readonly userId: string;
  readonly method: LinkMethod;
  readonly stateHash: string;
  readonly returnUrl?: string | null;
  readonly scopes?: readonly string[];
  readonly expiresAt: Date;
  readonly traceparent?: string | null;
}

/** The INSERT values for a new link session. */
export function insertColumns(input: NewLinkSession): Insertable<LinkSessionsTable> {
  return {
    id: input.id,
    provider: input.provider,
    user_id: input.userId,
    method: input.method,
    state_hash: input.stateHash,
    expires_at: input.expiresAt,
    connection_id: input.connectionId ?? null,
    request_token_hash: input.requestTokenHash ?? null,
    request_token_secret_enc: input.requestTokenSecretEnc ?? null,
    code_verifier_enc: input.codeVerifierEnc ?? null,
    code_enc: input.codeEnc ?? null,
    return_url: input.returnUrl ?? null,
    scopes: jsonb(input.scopes ?? []),
    error_code: input.errorCode ?? null,
    result_connection_id: input.resultConnectionId ?? null,
    link_url_enc: input.linkUrlEnc ?? null,
    connect_hash: input.connectHash ?? null,
    authorize_url_enc: input.authorizeUrlEnc ?? null,
    traceparent: input.traceparent ?? null,
  };
}

/** The SET clause for a link session patch. */
export function linkPatchColumns(patch: LinkSessionPatch): UpdateObject<Database, 'link_sessions'> {
  const columns: UpdateObject<Database, 'link_sessions'> = {};
  if (patch.connectionId !== undefined) columns.connection_id = patch.connectionId;
  if (patch.requestTokenHash !== undefined) columns.request_token_hash = patch.requestTokenHash;
  if (patch.requestTokenSecretEnc !== undefined)
    columns.request_token_secret_enc = patch.requestTokenSecretEnc;
  if (patch.codeVerifierEnc !== undefined) columns.code_verifier_enc = patch.codeVerifierEnc;
  if (patch.codeEnc !== undefined) columns.code_enc = patch.codeEnc;
  if (patch.status !== undefined) columns.status = patch.status;
  if (patch.errorCode !== undefined) columns.error_code = patch.errorCode;
  if (patch.resultConnectionId !== undefined)
    columns.result_connection_id = patch.resultConnectionId;
  if (patch.completedAt !== undefined) columns.completed_at = patch.completedAt;
  if (patch.linkUrlEnc !== undefined) columns.link_url_enc = patch.linkUrlEnc;
  if (patch.connectHash !== undefined) columns.connect_hash = patch.connectHash;
  if (patch.authorizeUrlEnc !== undefined) columns.authorize_url_enc = patch.authorizeUrlEnc;
  return columns;
}

/** snake_case row → camelCase domain object. */
export function toLinkSession(row: Selectable<LinkSessionsTable>): LinkSession {
  return {
    id: row.id,
    provider: row.provider,
    userId: row.user_id,
    connectionId: row.connection_id,
    method: row.method,
    stateHash: row.state_hash,
    requestTokenHash: row.request_token_hash,
    requestTokenSecretEnc: row.request_token_secret_enc,
    codeVerifierEnc: row.code_verifier_enc,
    codeEnc: row.code_enc,
    returnUrl: row.return_url,
    scopes: row.scopes,
    status: row.status,
    errorCode: row.error_code,
    resultConnectionId: row.result_connection_id,
    callbackAt: row.callback_at,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    linkUrlEnc: row.link_url_enc,
    connectHash: row.connect_hash,
    authorizeUrlEnc: row.authorize_url_enc,
    browserNonceHash: row.browser_nonce_hash,
    openedAt: row.opened_at,
    pinAttempts: row.pin_attempts,
    traceparent: row.traceparent,
  };
}

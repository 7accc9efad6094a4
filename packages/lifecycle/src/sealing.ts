import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import type { Connection, ConnectionPatch } from '@tokenlane/db';
import type { OAuth1TokenSet, TokenSet } from '@tokenlane/providers';
import { Secret, type Ciphertext, type KeyRing } from '@tokenlane/vault';

/** Secret fields of a link session, each bound to its row by the cipher's associated data. */
export type LinkSecretField =
  | 'code'
  | 'code_verifier'
  | 'request_token'
  /** The `linkWebUrl` handed out (a capability): handed out again for a live re-link. */
  | 'link_url'
  /** The provider URL a browser-bound link redirects to (it carries the state). */
  | 'authorize_url';

export function sealLinkSecret(
  ring: KeyRing,
  id: LinkSessionId,
  field: LinkSecretField,
  value: Secret,
): Ciphertext {
  return ring.encrypt(value, { table: 'link_sessions', rowId: id, field });
}

export function openLinkSecret(
  ring: KeyRing,
  id: LinkSessionId,
  field: LinkSecretField,
  value: Ciphertext,
): Secret {
  return new Secret(ring.decrypt(value, { table: 'link_sessions', rowId: id, field }));
}

type TokenField = 'access_token' | 'refresh_token' | 'token_secret';

const seal = (ring: KeyRing, id: ConnectionId, field: TokenField, value: Secret) =>
  ring.encrypt(value, { table: 'connections', rowId: id, field });

/** A fresh OAuth 2.0 token set as connection columns: a {@link ConnectionPatch}, all set. */
export interface SealedTokenSet {
  readonly accessTokenEnc: Ciphertext;
  readonly refreshTokenEnc: Ciphertext | null;
  readonly tokenSecretEnc: null;
  readonly tokenType: string;
  readonly expiresAt: Date | null;
  readonly refreshTokenExpiresAt: Date | null;
  /** Absent when the answer named none: the granted scopes stay. */
  readonly scopes?: readonly string[];
}

/** The connection columns for a fresh OAuth 2.0 token set (encrypted, bound to the row). */
export function sealTokenSet(ring: KeyRing, id: ConnectionId, tokens: TokenSet): SealedTokenSet {
  return {
    accessTokenEnc: seal(ring, id, 'access_token', tokens.accessToken),
    refreshTokenEnc:
      tokens.refreshToken === undefined
        ? null
        : seal(ring, id, 'refresh_token', tokens.refreshToken),
    tokenSecretEnc: null,
    tokenType: tokens.tokenType,
    expiresAt: tokens.expiresAt ?? null,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt ?? null,
    ...(tokens.scopes === undefined ? {} : { scopes: tokens.scopes }),
  };
}

/** The connection columns for OAuth 1.0a credentials, which never expire. */
export function sealOAuth1Tokens(
  ring: KeyRing,
  id: ConnectionId,
  tokens: OAuth1TokenSet,
): ConnectionPatch {
  return {
    accessTokenEnc: seal(ring, id, 'access_token', tokens.token),
    tokenSecretEnc: seal(ring, id, 'token_secret', tokens.tokenSecret),
    refreshTokenEnc: null,
    tokenType: 'OAuth',
    expiresAt: null,
    refreshTokenExpiresAt: null,
  };
}

/** A connection's tokens, decrypted; undefined where the row holds none. */
export interface OpenTokens {
  readonly accessToken: Secret | undefined;
  readonly refreshToken: Secret | undefined;
  readonly tokenSecret: Secret | undefined;
}

/** One of a connection's tokens, decrypted; undefined where the row holds none. */
export function openToken(
  ring: KeyRing,
  connection: Connection,
  field: TokenField,
): Secret | undefined {
  const value = {
    access_token: connection.accessTokenEnc,
    refresh_token: connection.refreshTokenEnc,
    token_secret: connection.tokenSecretEnc,
  }[field];
  return open(ring, connection.id, field, value);
}

/** The refresh token alone, from a row read without the other ciphertexts (a refresh's). */
export function openRefreshToken(
  ring: KeyRing,
  connection: Pick<Connection, 'id' | 'refreshTokenEnc'>,
): Secret | undefined {
  return open(ring, connection.id, 'refresh_token', connection.refreshTokenEnc);
}

function open(
  ring: KeyRing,
  id: ConnectionId,
  field: TokenField,
  value: Ciphertext | null,
): Secret | undefined {
  return value === null
    ? undefined
    : new Secret(ring.decrypt(value, { table: 'connections', rowId: id, field }));
}

export function openTokens(ring: KeyRing, connection: Connection): OpenTokens {
  return {
    accessToken: openToken(ring, connection, 'access_token'),
    refreshToken: openToken(ring, connection, 'refresh_token'),
    tokenSecret: openToken(ring, connection, 'token_secret'),
  };
}

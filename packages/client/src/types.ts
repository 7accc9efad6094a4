/**
 * The HTTP API's shapes under the SDK's names. Every one is an alias of a type generated from
 * the OpenAPI document (src/generated/api.ts, `npm run generate:sdk`), itself generated from the
 * route schemas the server validates with, so the SDK cannot drift from the server unnoticed.
 * Timestamps are ISO 8601 strings, as on the wire.
 */
import {
  connectionStatusValues,
  errorErrorCodeValues,
  eventTypeValues,
  type components,
  type operations,
} from './generated/api.js';

type Schemas = components['schemas'];
type Query<Id extends keyof operations> = NonNullable<operations[Id]['parameters']['query']>;

/** A connection as the API shows it: never its tokens. */
export type Connection = Schemas['Connection'];
export type ConnectionStatus = Connection['status'];
export const CONNECTION_STATUSES: readonly ConnectionStatus[] = connectionStatusValues;

/** A lifecycle event from `GET /v1/events` (the same body is POSTed to your webhook). */
export type TokenlaneEvent = Schemas['Event'];
export type EventType = TokenlaneEvent['type'];
export const EVENT_TYPES: readonly EventType[] = eventTypeValues;

/** The API's `{ "error": { "code", "message" } }` body. */
export type ApiErrorBody = Schemas['Error'];
export type ApiErrorCode = ApiErrorBody['error']['code'];
export const API_ERROR_CODES: readonly ApiErrorCode[] = errorErrorCodeValues;

/** One page of a list; pass `nextCursor` as `after` for the next one (null: last page). */
export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}

/** `POST /v1/links`: `userId` is your id for the end user; `returnUrl` must be allowed. */
export type CreateLinkInput = Schemas['CreateLinkInput'];
/** `POST /v1/connections/:id/relink`: the connection's provider (default) or its successor. */
export type RelinkInput = Schemas['RelinkInput'];
/** A started link: send the user to `linkWebUrl` (or show it, for the PIN method). */
export type Link = Schemas['Link'];
export type PinResult =
  operations['completePinLink']['responses'][200]['content']['application/json'];

export type ListConnectionsQuery = Query<'listConnections'>;
export type ListEventsQuery = Query<'listEvents'>;
/** `minValidity`: seconds the token must stay valid; tokenlane refreshes first if needed. */
export type GetTokenOptions = Query<'getToken'>;

/** An OAuth 2.0 access token or OAuth 1.0a credentials, as `GET …/token` answers. */
export type AccessToken = Schemas['Token'];
export type OAuth2AccessToken = Extract<AccessToken, { readonly accessToken: string }>;
/** OAuth 1.0a credentials: sign requests with both. */
export type OAuth1AccessToken = Extract<AccessToken, { readonly tokenSecret: string }>;

export function isOAuth1Token(token: AccessToken): token is OAuth1AccessToken {
  return 'tokenSecret' in token;
}

/** A provider this deployment knows. */
export type ProviderInfo = Schemas['Provider'];

/** `POST /v1/migrations`: move `from`'s connections to its declared successor `to`. */
export type StartMigrationInput = Schemas['StartMigrationInput'];
/** A provider migration and its counts (`total` is the sum of the others). */
export type Migration = Schemas['Migration'];

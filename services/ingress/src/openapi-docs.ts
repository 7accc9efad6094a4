import type { ApiErrorCode } from '@tokenlane/core';

/** What the reference shows for one operation beyond its schemas. */
export interface OperationDoc {
  /** The name generated clients give the operation (`client.createLink`, `operations['createLink']`). */
  readonly operationId: string;
  readonly description: string;
  /** The `error.code` values this operation can answer (beside `internal`). */
  readonly errors: readonly ApiErrorCode[];
  /** An example request body, where the operation takes one. */
  readonly request?: unknown;
  /** Example answers by status. */
  readonly responses: Readonly<Record<number, unknown>>;
  /** Answers that are not JSON (a redirect, a page, the provider's own), by status: what they are. */
  readonly otherResponses?: Readonly<Record<string, string>>;
}

const CONNECTION_ID = '6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f';
const connection = {
  id: CONNECTION_ID,
  userId: 'user-1',
  provider: 'fitbit',
  providerUserId: '7QX8KL',
  status: 'active',
  scopes: ['activity', 'sleep'],
  expiresAt: '2026-12-01T10:00:00.000Z',
  refreshDueAt: '2026-12-01T09:30:00.000Z',
  lastRefreshedAt: '2026-12-01T02:00:00.000Z',
  lastErrorCode: null,
  refreshAttempts: 0,
  createdAt: '2026-11-02T08:15:00.000Z',
  updatedAt: '2026-12-01T02:00:00.000Z',
  revokedAt: null,
  migration: null,
  identityPendingSince: null,
};
const link = {
  linkId: '0b7e4f2a-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
  linkWebUrl: 'https://tokenlane.example/connect/q3vX…',
  method: 'redirect',
  expiresAt: '2026-12-01T10:15:00.000Z',
};

/** Service-wide answers every `/v1` operation may give. */
const V1: readonly ApiErrorCode[] = ['unauthorized', 'invalid_request', 'service_unavailable'];

const MIGRATION = {
  id: '3f2e1d0c-9b8a-4766-8554-433221100ffe',
  from: 'garmin',
  to: 'garmin-oauth2',
  mode: 'token_exchange',
  status: 'running',
  pausedReason: null,
  dryRun: false,
  counts: {
    total: 200,
    migrated: 120,
    awaitingConsent: 0,
    reauthRequired: 2,
    failed: 0,
    skipped: 0,
    pending: 78,
  },
  createdAt: '2026-12-01T02:00:00.000Z',
  finishedAt: null,
};

/**
 * Descriptions, error codes and examples of every public operation, keyed by OpenAPI method
 * and path. The schemas stay beside the routes; this is the prose. A test fails for a route
 * missing here, so a new route cannot ship undocumented.
 */
export const OPERATION_DOCS: Readonly<Record<string, OperationDoc>> = {
  'get /healthz': {
    operationId: 'getHealth',
    description: 'Answers 200 while the process runs. No authentication.',
    errors: [],
    responses: { 200: { status: 'ok' } },
  },
  'get /readyz': {
    operationId: 'getReadiness',
    description:
      'Answers 200 when Redis and the database answer and no migration is pending, else 503 with the failing checks. No authentication.',
    errors: ['service_unavailable'],
    responses: {
      200: { status: 'ok', checks: { redis: true, database: true, migrations: true } },
      503: { status: 'unavailable', checks: { redis: false, database: true, migrations: true } },
    },
  },
  'get /metrics': {
    operationId: 'getMetrics',
    description:
      'Prometheus text format 0.0.4: the `tokenlane_*` metrics and the process defaults. No authentication; keep it off the public internet.',
    errors: [],
    responses: {},
  },
  'get /v1/providers': {
    operationId: 'listProviders',
    description:
      'Every provider this deployment knows: built-ins (configured or not) and the custom ones of the providers file.',
    errors: V1,
    responses: {
      200: {
        data: [
          {
            id: 'fitbit',
            displayName: 'Fitbit (legacy Web API)',
            kind: 'oauth2',
            method: 'redirect',
            configured: true,
            custom: false,
            deprecated: { note: 'Fitbit Web API is retiring', replacedBy: 'google-health' },
            sunsetAt: '2026-11-02',
            successor: 'google-health',
            retired: false,
            tokenExchange: false,
            rateLimits: [
              {
                window: '3600s',
                requests: 150,
                perSeconds: 3600,
                per: 'connection',
                remaining: null,
              },
            ],
          },
        ],
      },
    },
  },
  'get /v1/connections/{id}': {
    operationId: 'getConnection',
    description: 'One connection as a view: status, scopes, expiry, last error. Never a token.',
    errors: [...V1, 'not_found'],
    responses: {
      200: connection,
      404: { error: { code: 'not_found', message: 'Connection not found' } },
    },
  },
  'delete /v1/connections/{id}': {
    operationId: 'deleteConnection',
    description:
      'Revokes the grant at the provider (best effort, retried) and wipes the tokens; the connection becomes `revoked` and `connection.revoked` is emitted. Deleting a revoked connection is accepted and changes nothing.',
    errors: [...V1, 'not_found'],
    responses: { 202: { connectionId: CONNECTION_ID, status: 'revoking' } },
  },
  'get /v1/connections': {
    operationId: 'listConnections',
    description:
      'Connections oldest first, filtered by `userId`, `provider` and `status`; pass `nextCursor` as `after` for the next page (keyset paging: stable while connections are added).',
    errors: V1,
    responses: { 200: { data: [connection], nextCursor: CONNECTION_ID } },
  },
  'post /webhooks/{provider}': {
    operationId: 'receiveProviderNotice',
    description:
      'A provider notification (deauthorization, deregistration), verified per provider over the raw body; matching connections are revoked with reason `provider_notice`. No API key: the provider calls it. See docs/webhooks.md.',
    errors: [
      'invalid_signature',
      'invalid_request',
      'unknown_provider',
      'not_found',
      'payload_too_large',
      'unsupported_media_type',
    ],
    request: { type: 'auth_revoked', providerUserId: '7QX8KL' },
    responses: { 200: { received: true } },
  },
  'get /webhooks/{provider}': {
    operationId: 'answerProviderHandshake',
    description:
      "A provider's subscription handshake (Fitbit `verify`, Strava `hub.challenge`, Oura `challenge`).",
    errors: ['unknown_provider', 'not_found'],
    responses: { 200: { 'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3' } },
  },
  'post /webhooks/{provider}/{rest}': {
    operationId: 'receiveProviderNoticeAtSecretPath',
    description:
      'The same intake for providers that sign nothing (Garmin, Strava, Withings): the rest of the path must equal the provider’s `webhookSecret` (32+ characters, `/` allowed), and is shown as `[redacted]` in logs. Refused attempts are limited per source address (429 with `Retry-After`).',
    errors: [
      'invalid_signature',
      'invalid_request',
      'unknown_provider',
      'not_found',
      'payload_too_large',
      'unsupported_media_type',
    ],
    request: { deregistrations: [{ userId: 'garmin-user-1' }] },
    responses: { 200: { received: true } },
  },
  'get /webhooks/{provider}/{rest}': {
    operationId: 'answerProviderHandshakeAtSecretPath',
    description: 'A subscription handshake on the secret-path intake.',
    errors: ['unknown_provider', 'not_found'],
    responses: { 200: { 'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3' } },
  },
  'get /v1/events': {
    operationId: 'listEvents',
    description:
      'Lifecycle events oldest first; pass `nextCursor` as `after` to read on. The same events are POSTed to `TOKENLANE_WEBHOOK_URL`, signed (Standard Webhooks and `Tokenlane-Signature`). No event holds a token or a URL.',
    errors: V1,
    responses: {
      200: {
        data: [
          {
            id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
            cursor: '42',
            type: 'connection.refreshed',
            createdAt: '2026-12-01T02:00:00.000Z',
            connectionId: CONNECTION_ID,
            linkId: null,
            userId: 'user-1',
            provider: 'fitbit',
            data: {
              status: 'active',
              expiresAt: '2026-12-01T10:00:00.000Z',
              trigger: 'schedule',
              durationMs: 212,
            },
          },
        ],
        nextCursor: '42',
      },
    },
  },
  'post /v1/migrations': {
    operationId: 'startMigration',
    description:
      'Moves a provider’s connections to its declared successor (docs/migrations.md). `token_exchange` (Garmin) needs no user action; `reconsent` asks each user once (`connection.migration_requested`) and moves a connection when its user links the successor. One job per connection, at the provider’s rate limit; resumable; `dryRun` reports and changes nothing.',
    errors: [...V1, 'not_found', 'unknown_provider', 'provider_not_configured', 'provider_retired'],
    request: { from: 'garmin', to: 'garmin-oauth2', dryRun: true },
    responses: { 202: MIGRATION },
  },
  'get /v1/migrations': {
    operationId: 'listMigrations',
    description: 'Migrations, newest first, with their counts.',
    errors: V1,
    responses: { 200: { data: [MIGRATION] } },
  },
  'get /v1/migrations/{id}': {
    operationId: 'getMigration',
    description:
      'One migration: status and counts (`total` = migrated + awaitingConsent + reauthRequired + failed + skipped + pending).',
    errors: [...V1, 'not_found'],
    responses: { 200: MIGRATION },
  },
  'post /v1/migrations/{id}/cancel': {
    operationId: 'cancelMigration',
    description: 'Stops a running migration; connections already moved stay moved.',
    errors: [...V1, 'not_found', 'conflict'],
    responses: { 202: { ...MIGRATION, status: 'cancelled' } },
  },
  'post /v1/migrations/{id}/pause': {
    operationId: 'pauseMigration',
    description:
      'Pauses a running migration where it stands: connections already decided stay so, pending ones wait and their jobs end without spending an attempt. A run also pauses itself (`migration.paused`) when the provider refuses our own credentials or clock, or when more than 20 % of its last 50 outcomes failed; `pausedReason` says which.',
    errors: [...V1, 'not_found', 'conflict'],
    responses: { 202: { ...MIGRATION, status: 'paused', pausedReason: 'operator' } },
  },
  'post /v1/migrations/{id}/resume': {
    operationId: 'resumeMigration',
    description:
      'Resumes a paused migration (`migration.resumed`): its pending connections are queued again, and its failure-rate window starts afresh. Fix what paused it first: a run paused for `credentials` pauses again on the next refusal.',
    errors: [...V1, 'not_found', 'conflict'],
    responses: { 202: MIGRATION },
  },
  'get /connect/{id}': {
    operationId: 'showLinkPage',
    otherResponses: { 200: 'The page (HTML) whose button continues the link' },
    description:
      'What a `linkWebUrl` opens: a small page (no JavaScript, strict CSP) naming the app (`TOKENLANE_APP_NAME`) and the provider in the browser’s language (`Accept-Language`: en, de, fr, es, ja), with a button that continues by POST. A link that cannot be opened gets a page saying why (expired, already used, unknown) with the same 409. Fetching it spends nothing, so a mail or chat scanner that opens the URL first leaves the link for the user. Not called by your backend; the id is never logged.',
    errors: ['not_found', 'conflict'],
    responses: {
      409: { error: { code: 'conflict', message: 'This link was already opened' } },
    },
  },
  'post /connect/{id}': {
    operationId: 'continueLink',
    otherResponses: { 303: "Redirect to the provider's authorization page" },
    description:
      'The page’s button: binds the link to this browser (a per-link cookie with a fresh nonce that the callback requires along with the state) and redirects (303) to the provider. Single use: a second press gets a page saying so and changes nothing. A cross-site post is refused (403), so another site cannot open a link in the user’s browser.',
    errors: ['unauthorized', 'not_found', 'conflict'],
    responses: {
      409: { error: { code: 'conflict', message: 'This link was already opened' } },
    },
  },
  'post /v1/connections/{id}/relink': {
    operationId: 'relinkConnection',
    description:
      'A link that re-authorizes this connection in place (same connection id), for a user who is present: after `connection.reauth_required`, or to move to the provider’s successor. A live link for the same connection, provider and `returnUrl` is answered again rather than a new one. The account that comes back must be the connection’s, else the link fails with `account_mismatch`.',
    errors: [...V1, 'not_found', 'conflict', 'return_url_not_allowed', 'insufficient_scope'],
    request: { returnUrl: 'https://app.example/linked' },
    responses: { 201: link },
  },
  'post /v1/links': {
    operationId: 'createLink',
    description:
      'Starts linking a user: answers the URL to send the user to (or, for PIN providers, `method: "pin"`). `connectionId` re-links that connection in place. The provider redirects to `${PUBLIC_URL}/oauth/callback`.',
    errors: [
      ...V1,
      'unknown_provider',
      'provider_not_configured',
      'provider_retired',
      'return_url_not_allowed',
      'conflict',
      'not_found',
    ],
    request: { userId: 'user-1', provider: 'fitbit', returnUrl: 'https://app.example/linked' },
    responses: { 201: link },
  },
  'get /oauth/callback': {
    operationId: 'completeLinkCallback',
    otherResponses: {
      200: 'A page (HTML) saying what happened, for a link without a `returnUrl`',
      302: 'Redirect to `returnUrl` with `status` and `connectionId`, `linkId` or `code`',
    },
    description:
      "The providers' redirect URI. Completes the link and redirects (302) to `returnUrl?status=success&connectionId=…`, `status=pending&linkId=…` or `status=error&code=…`; a link without a `returnUrl` ends on a page saying what happened and what to do next, in the browser’s language. A missing, unknown, expired or replayed state is 401 (a page saying why for a browser).",
    errors: ['invalid_state', 'invalid_request', 'service_unavailable'],
    responses: {
      401: { error: { code: 'invalid_state', message: 'Unknown, expired or used state' } },
    },
  },
  'post /v1/links/{linkId}/pin': {
    operationId: 'completePinLink',
    description:
      'Completes an out-of-band link with the PIN the provider showed the user. A refused PIN leaves the link usable until it expires.',
    errors: [...V1, 'invalid_pin', 'link_expired', 'not_found', 'conflict'],
    request: { pin: '12345678' },
    responses: { 200: { connectionId: CONNECTION_ID, status: 'active' } },
  },
  'get /v1/connections/{id}/token': {
    operationId: 'getToken',
    description:
      'A usable token: returned as stored while it stays valid for `minValidity` seconds (capped at half its lifetime), else refreshed first through the connection’s single refresh job. `Cache-Control: no-store`. 409 `reauth_required` carries a fresh `linkWebUrl` when the key also has `connections:write` (a re-link is a write); without it, the answer says so and no link is made.',
    errors: [
      ...V1,
      'not_found',
      'reauth_required',
      'conflict',
      'provider_unhealthy',
      'refresh_backoff',
    ],
    responses: {
      200: {
        accessToken: 'eyJhbGciOi…',
        tokenType: 'Bearer',
        expiresAt: '2026-12-01T10:00:00.000Z',
      },
      409: {
        error: {
          code: 'reauth_required',
          message: 'The user must re-authorize',
          linkWebUrl: link.linkWebUrl,
          linkExpiresAt: link.expiresAt,
        },
      },
    },
  },
  'post /v1/connections/{id}/refresh': {
    operationId: 'refreshConnection',
    description:
      'Refreshes now: adds the connection’s refresh job, or joins the one already queued.',
    errors: [...V1, 'not_found', 'conflict'],
    responses: { 202: { connectionId: CONNECTION_ID, status: 'refreshing' } },
  },
  'post /v1/connections/{id}/unauthorized': {
    operationId: 'reportUnauthorized',
    description:
      'Your backend got a 401 with this token: tokenlane forces one refresh, and the connection becomes `reauth_required` if the 401 survives it. A report naming a token already replaced does nothing.',
    errors: [...V1, 'not_found'],
    request: { accessToken: 'eyJhbGciOi…' },
    responses: { 202: { connectionId: CONNECTION_ID, status: 'accepted' } },
  },
  ...proxyDocs(),
};

/** The proxy answers for each of its methods alike: one description, one set of codes. */
function proxyDocs(): Record<string, OperationDoc> {
  const doc: Omit<OperationDoc, 'operationId'> = {
    otherResponses: {
      '2XX':
        "The provider's answer as it gave it (any status, headers and body), with `Tokenlane-Connection-Status`",
    },
    description:
      'Calls the provider’s API for this connection (docs/proxy.md): forwards to `<apiBaseUrl>/<path>` with the query unchanged and the connection’s credentials (OAuth 2.0 token, or an OAuth 1.0a signature), streams both bodies, and answers with the provider’s status, headers and body. Redirects are passed back, never followed. A token expiring within 30 s (`Tokenlane-Min-Validity`) is refreshed first; a 401 forces one refresh and one retry. Every answer carries `Tokenlane-Connection-Status`. `Tokenlane-Timeout: <ms>` (default 30000, max 120000). `Tokenlane-Retries: <n>` (0-5) retries GET, HEAD, PUT and DELETE on 5xx, 429 and network errors with full jitter, never sooner than `Retry-After`. A path that would leave the API is `invalid_request` and nothing is sent. Scope `proxy`: such a key never reads a token.',
    errors: [
      ...V1,
      'not_found',
      'reauth_required',
      'conflict',
      'provider_unhealthy',
      'refresh_backoff',
      'payload_too_large',
      'rate_limited',
      'proxy_not_configured',
      'provider_error',
      'provider_timeout',
    ],
    responses: {
      400: {
        error: {
          code: 'invalid_request',
          message:
            "The proxied path is refused (dot_segment): it must stay under the provider's API",
        },
      },
      422: {
        error: {
          code: 'proxy_not_configured',
          message: 'acme declares no apiBaseUrl: set one in the providers file',
        },
      },
      504: { error: { code: 'provider_timeout', message: 'the provider did not answer in time' } },
    },
  };
  return Object.fromEntries(
    // HEAD is routed but not listed: OpenAPI documents it with GET.
    ['get', 'post', 'put', 'patch', 'delete'].map((method) => [
      `${method} /v1/connections/{id}/proxy/{rest}`,
      { ...doc, operationId: `proxy${method.charAt(0).toUpperCase()}${method.slice(1)}` },
    ]),
  );
}

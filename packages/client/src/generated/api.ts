/**
 * Generated from openapi.json by openapi-typescript: do not edit. Run `npm run generate:sdk`
 * after changing a route schema; a test fails while this file and the routes disagree.
 */
export interface paths {
  readonly '/healthz': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Liveness
     * @description Answers 200 while the process runs. No authentication.
     *
     *     **Error codes:** `internal`.
     */
    readonly get: operations['getHealth'];
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/readyz': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Readiness: Redis, database and migrations
     * @description Answers 200 when Redis and the database answer and no migration is pending, else 503 with the failing checks. No authentication.
     *
     *     **Error codes:** `service_unavailable`, `internal`.
     */
    readonly get: operations['getReadiness'];
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/metrics': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Prometheus metrics (text exposition format)
     * @description Prometheus text format 0.0.4: the `tokenlane_*` metrics and the process defaults. No authentication; keep it off the public internet.
     *
     *     **Error codes:** `internal`.
     */
    readonly get: operations['getMetrics'];
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/providers': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * List providers: id, kind, link method, configured, sunset, successor and rate budget
     * @description Every provider this deployment knows: built-ins (configured or not) and the custom ones of the providers file.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `internal`.
     */
    readonly get: operations['listProviders'];
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/connections/{id}': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Get a connection (never its tokens)
     * @description One connection as a view: status, scopes, expiry, last error. Never a token.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `internal`.
     */
    readonly get: operations['getConnection'];
    readonly put?: never;
    readonly post?: never;
    /**
     * Revoke a connection at the provider, then wipe its tokens
     * @description Revokes the grant at the provider (best effort, retried) and wipes the tokens; the connection becomes `revoked` and `connection.revoked` is emitted. Deleting a revoked connection is accepted and changes nothing.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `internal`.
     */
    readonly delete: operations['deleteConnection'];
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/connections': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * List connections, oldest first, filtered by user, provider or status
     * @description Connections oldest first, filtered by `userId`, `provider` and `status`; pass `nextCursor` as `after` for the next page (keyset paging: stable while connections are added).
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `internal`.
     */
    readonly get: operations['listConnections'];
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/webhooks/{provider}': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Answer a provider's subscription handshake (Fitbit, Strava, Oura; Withings' HEAD check)
     * @description A provider's subscription handshake (Fitbit `verify`, Strava `hub.challenge`, Oura `challenge`).
     *
     *     **Error codes:** `unknown_provider`, `not_found`, `internal`.
     */
    readonly get: operations['answerProviderHandshake'];
    readonly put?: never;
    /**
     * Receive a provider notification (revocation, deregistration)
     * @description A provider notification (deauthorization, deregistration), verified per provider over the raw body; matching connections are revoked with reason `provider_notice`. No API key: the provider calls it. See docs/webhooks.md.
     *
     *     **Error codes:** `invalid_signature`, `invalid_request`, `unknown_provider`, `not_found`, `payload_too_large`, `unsupported_media_type`, `internal`.
     */
    readonly post: operations['receiveProviderNotice'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/webhooks/{provider}/{rest}': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Answer a provider's subscription handshake (Fitbit, Strava, Oura; Withings' HEAD check)
     * @description A subscription handshake on the secret-path intake.
     *
     *     **Error codes:** `unknown_provider`, `not_found`, `internal`.
     */
    readonly get: operations['answerProviderHandshakeAtSecretPath'];
    readonly put?: never;
    /**
     * Receive a provider notification (revocation, deregistration)
     * @description The same intake for providers that sign nothing (Garmin, Strava, Withings): the rest of the path must equal the provider’s `webhookSecret` (32+ characters, `/` allowed), and is shown as `[redacted]` in logs. Refused attempts are limited per source address (429 with `Retry-After`).
     *
     *     **Error codes:** `invalid_signature`, `invalid_request`, `unknown_provider`, `not_found`, `payload_too_large`, `unsupported_media_type`, `internal`.
     */
    readonly post: operations['receiveProviderNoticeAtSecretPath'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/events': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * List lifecycle events, oldest first
     * @description Lifecycle events oldest first; pass `nextCursor` as `after` to read on. The same events are POSTed to `TOKENLANE_WEBHOOK_URL`, signed (Standard Webhooks and `Tokenlane-Signature`). No event holds a token or a URL.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `internal`.
     */
    readonly get: operations['listEvents'];
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/links': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Start linking a user to a provider
     * @description Starts linking a user: answers the URL to send the user to (or, for PIN providers, `method: "pin"`). `connectionId` re-links that connection in place. The provider redirects to `${PUBLIC_URL}/oauth/callback`.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `unknown_provider`, `provider_not_configured`, `provider_retired`, `return_url_not_allowed`, `conflict`, `not_found`, `internal`.
     */
    readonly post: operations['createLink'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/oauth/callback': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The providers' redirect URI: completes a link and sends the user back
     * @description The providers' redirect URI. Completes the link and redirects (302) to `returnUrl?status=success&connectionId=…`, `status=pending&linkId=…` or `status=error&code=…`; a link without a `returnUrl` ends on a page saying what happened and what to do next, in the browser’s language. A missing, unknown, expired or replayed state is 401 (a page saying why for a browser).
     *
     *     **Error codes:** `invalid_state`, `invalid_request`, `service_unavailable`, `internal`.
     */
    readonly get: operations['completeLinkCallback'];
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/links/{linkId}/pin': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Complete an out-of-band (PIN) link with the PIN the provider showed the user
     * @description Completes an out-of-band link with the PIN the provider showed the user. A refused PIN leaves the link usable until it expires.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `invalid_pin`, `link_expired`, `not_found`, `conflict`, `internal`.
     */
    readonly post: operations['completePinLink'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/connect/{id}': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * A link's linkWebUrl: a page naming the app and provider; continues by POST
     * @description What a `linkWebUrl` opens: a small page (no JavaScript, strict CSP) naming the app (`TOKENLANE_APP_NAME`) and the provider in the browser’s language (`Accept-Language`: en, de, fr, es, ja), with a button that continues by POST. A link that cannot be opened gets a page saying why (expired, already used, unknown) with the same 409. Fetching it spends nothing, so a mail or chat scanner that opens the URL first leaves the link for the user. Not called by your backend; the id is never logged.
     *
     *     **Error codes:** `not_found`, `conflict`, `internal`.
     */
    readonly get: operations['showLinkPage'];
    readonly put?: never;
    /**
     * Continue a link: binds it to this browser and redirects to the provider
     * @description The page’s button: binds the link to this browser (a per-link cookie with a fresh nonce that the callback requires along with the state) and redirects (303) to the provider. Single use: a second press gets a page saying so and changes nothing. A cross-site post is refused (403), so another site cannot open a link in the user’s browser.
     *
     *     **Error codes:** `unauthorized`, `not_found`, `conflict`, `internal`.
     */
    readonly post: operations['continueLink'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/connections/{id}/relink': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Get a link that re-authorizes this connection (same connection id)
     * @description A link that re-authorizes this connection in place (same connection id), for a user who is present: after `connection.reauth_required`, or to move to the provider’s successor. A live link for the same connection, provider and `returnUrl` is answered again rather than a new one. The account that comes back must be the connection’s, else the link fails with `account_mismatch`.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `conflict`, `return_url_not_allowed`, `insufficient_scope`, `internal`.
     */
    readonly post: operations['relinkConnection'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/connections/{id}/token': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Get a usable token, refreshed first when it expires within minValidity seconds
     * @description A usable token: returned as stored while it stays valid for `minValidity` seconds (capped at half its lifetime), else refreshed first through the connection’s single refresh job. `Cache-Control: no-store`. 409 `reauth_required` carries a fresh `linkWebUrl` when the key also has `connections:write` (a re-link is a write); without it, the answer says so and no link is made.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `reauth_required`, `conflict`, `provider_unhealthy`, `refresh_backoff`, `internal`.
     */
    readonly get: operations['getToken'];
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/connections/{id}/refresh': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Refresh now (joins the refresh already queued, if any)
     * @description Refreshes now: adds the connection’s refresh job, or joins the one already queued.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `conflict`, `internal`.
     */
    readonly post: operations['refreshConnection'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/connections/{id}/unauthorized': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Report a 401 the provider answered to this connection’s token
     * @description Your backend got a 401 with this token: tokenlane forces one refresh, and the connection becomes `reauth_required` if the 401 survives it. A report naming a token already replaced does nothing.
     *
     *     Send the token the provider refused as `accessToken` (OAuth 1.0a: the `token`). Only a report naming the current token counts; any other is `stale_report` and does nothing.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `internal`.
     */
    readonly post: operations['reportUnauthorized'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/connections/{id}/proxy/{rest}': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * GET the provider's API for this connection, through tokenlane
     * @description Calls the provider’s API for this connection (docs/proxy.md): forwards to `<apiBaseUrl>/<path>` with the query unchanged and the connection’s credentials (OAuth 2.0 token, or an OAuth 1.0a signature), streams both bodies, and answers with the provider’s status, headers and body. Redirects are passed back, never followed. A token expiring within 30 s (`Tokenlane-Min-Validity`) is refreshed first; a 401 forces one refresh and one retry. Every answer carries `Tokenlane-Connection-Status`. `Tokenlane-Timeout: <ms>` (default 30000, max 120000). `Tokenlane-Retries: <n>` (0-5) retries GET, HEAD, PUT and DELETE on 5xx, 429 and network errors with full jitter, never sooner than `Retry-After`. A path that would leave the API is `invalid_request` and nothing is sent. Scope `proxy`: such a key never reads a token.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `reauth_required`, `conflict`, `provider_unhealthy`, `refresh_backoff`, `payload_too_large`, `rate_limited`, `proxy_not_configured`, `provider_error`, `provider_timeout`, `internal`.
     */
    readonly get: operations['proxyGet'];
    /**
     * PUT the provider's API for this connection, through tokenlane
     * @description Calls the provider’s API for this connection (docs/proxy.md): forwards to `<apiBaseUrl>/<path>` with the query unchanged and the connection’s credentials (OAuth 2.0 token, or an OAuth 1.0a signature), streams both bodies, and answers with the provider’s status, headers and body. Redirects are passed back, never followed. A token expiring within 30 s (`Tokenlane-Min-Validity`) is refreshed first; a 401 forces one refresh and one retry. Every answer carries `Tokenlane-Connection-Status`. `Tokenlane-Timeout: <ms>` (default 30000, max 120000). `Tokenlane-Retries: <n>` (0-5) retries GET, HEAD, PUT and DELETE on 5xx, 429 and network errors with full jitter, never sooner than `Retry-After`. A path that would leave the API is `invalid_request` and nothing is sent. Scope `proxy`: such a key never reads a token.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `reauth_required`, `conflict`, `provider_unhealthy`, `refresh_backoff`, `payload_too_large`, `rate_limited`, `proxy_not_configured`, `provider_error`, `provider_timeout`, `internal`.
     */
    readonly put: operations['proxyPut'];
    /**
     * POST the provider's API for this connection, through tokenlane
     * @description Calls the provider’s API for this connection (docs/proxy.md): forwards to `<apiBaseUrl>/<path>` with the query unchanged and the connection’s credentials (OAuth 2.0 token, or an OAuth 1.0a signature), streams both bodies, and answers with the provider’s status, headers and body. Redirects are passed back, never followed. A token expiring within 30 s (`Tokenlane-Min-Validity`) is refreshed first; a 401 forces one refresh and one retry. Every answer carries `Tokenlane-Connection-Status`. `Tokenlane-Timeout: <ms>` (default 30000, max 120000). `Tokenlane-Retries: <n>` (0-5) retries GET, HEAD, PUT and DELETE on 5xx, 429 and network errors with full jitter, never sooner than `Retry-After`. A path that would leave the API is `invalid_request` and nothing is sent. Scope `proxy`: such a key never reads a token.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `reauth_required`, `conflict`, `provider_unhealthy`, `refresh_backoff`, `payload_too_large`, `rate_limited`, `proxy_not_configured`, `provider_error`, `provider_timeout`, `internal`.
     */
    readonly post: operations['proxyPost'];
    /**
     * DELETE the provider's API for this connection, through tokenlane
     * @description Calls the provider’s API for this connection (docs/proxy.md): forwards to `<apiBaseUrl>/<path>` with the query unchanged and the connection’s credentials (OAuth 2.0 token, or an OAuth 1.0a signature), streams both bodies, and answers with the provider’s status, headers and body. Redirects are passed back, never followed. A token expiring within 30 s (`Tokenlane-Min-Validity`) is refreshed first; a 401 forces one refresh and one retry. Every answer carries `Tokenlane-Connection-Status`. `Tokenlane-Timeout: <ms>` (default 30000, max 120000). `Tokenlane-Retries: <n>` (0-5) retries GET, HEAD, PUT and DELETE on 5xx, 429 and network errors with full jitter, never sooner than `Retry-After`. A path that would leave the API is `invalid_request` and nothing is sent. Scope `proxy`: such a key never reads a token.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `reauth_required`, `conflict`, `provider_unhealthy`, `refresh_backoff`, `payload_too_large`, `rate_limited`, `proxy_not_configured`, `provider_error`, `provider_timeout`, `internal`.
     */
    readonly delete: operations['proxyDelete'];
    readonly options?: never;
    readonly head?: never;
    /**
     * PATCH the provider's API for this connection, through tokenlane
     * @description Calls the provider’s API for this connection (docs/proxy.md): forwards to `<apiBaseUrl>/<path>` with the query unchanged and the connection’s credentials (OAuth 2.0 token, or an OAuth 1.0a signature), streams both bodies, and answers with the provider’s status, headers and body. Redirects are passed back, never followed. A token expiring within 30 s (`Tokenlane-Min-Validity`) is refreshed first; a 401 forces one refresh and one retry. Every answer carries `Tokenlane-Connection-Status`. `Tokenlane-Timeout: <ms>` (default 30000, max 120000). `Tokenlane-Retries: <n>` (0-5) retries GET, HEAD, PUT and DELETE on 5xx, 429 and network errors with full jitter, never sooner than `Retry-After`. A path that would leave the API is `invalid_request` and nothing is sent. Scope `proxy`: such a key never reads a token.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `reauth_required`, `conflict`, `provider_unhealthy`, `refresh_backoff`, `payload_too_large`, `rate_limited`, `proxy_not_configured`, `provider_error`, `provider_timeout`, `internal`.
     */
    readonly patch: operations['proxyPatch'];
    readonly trace?: never;
  };
  readonly '/v1/migrations': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * List migrations, newest first
     * @description Migrations, newest first, with their counts.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `internal`.
     */
    readonly get: operations['listMigrations'];
    readonly put?: never;
    /**
     * Start moving a provider's connections to its successor
     * @description Moves a provider’s connections to its declared successor (docs/migrations.md). `token_exchange` (Garmin) needs no user action; `reconsent` asks each user once (`connection.migration_requested`) and moves a connection when its user links the successor. One job per connection, at the provider’s rate limit; resumable; `dryRun` reports and changes nothing.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `unknown_provider`, `provider_not_configured`, `provider_retired`, `internal`.
     */
    readonly post: operations['startMigration'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/migrations/{id}': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * A migration and its counts
     * @description One migration: status and counts (`total` = migrated + awaitingConsent + reauthRequired + failed + skipped + pending).
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `internal`.
     */
    readonly get: operations['getMigration'];
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/migrations/{id}/cancel': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Stop a running migration; what is done stays done
     * @description Stops a running migration; connections already moved stay moved.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `conflict`, `internal`.
     */
    readonly post: operations['cancelMigration'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/migrations/{id}/pause': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Pause a running migration; pending connections wait, nothing is lost
     * @description Pauses a running migration where it stands: connections already decided stay so, pending ones wait and their jobs end without spending an attempt. A run also pauses itself (`migration.paused`) when the provider refuses our own credentials or clock, or when more than 20 % of its last 50 outcomes failed; `pausedReason` says which.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `conflict`, `internal`.
     */
    readonly post: operations['pauseMigration'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly '/v1/migrations/{id}/resume': {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Resume a paused migration
     * @description Resumes a paused migration (`migration.resumed`): its pending connections are queued again, and its failure-rate window starts afresh. Fix what paused it first: a run paused for `credentials` pauses again on the next refusal.
     *
     *     **Error codes:** `unauthorized`, `invalid_request`, `service_unavailable`, `not_found`, `conflict`, `internal`.
     */
    readonly post: operations['resumeMigration'];
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    readonly CreateLinkInput: {
      /** @description Your id for the end user */
      readonly userId: string;
      readonly provider: string;
      /**
       * Format: uri
       * @description Must match TOKENLANE_ALLOWED_RETURN_URLS
       */
      readonly returnUrl?: string;
      readonly scopes?: readonly string[];
      /**
       * Format: uuid
       * @description Re-link this connection (prefer POST /v1/connections/:id/relink)
       */
      readonly connectionId?: string;
    };
    readonly StartMigrationInput: {
      readonly from: string;
      /** @description Must be `from`'s declared successor */
      readonly to: string;
      /**
       * @description Default: token_exchange where `from` supports it, else reconsent
       * @enum {string}
       */
      readonly mode?: 'token_exchange' | 'reconsent';
      readonly connectionIds?: readonly string[];
      /** @description Report what would happen; change nothing */
      readonly dryRun?: boolean;
    };
    readonly RelinkInput: {
      /** @description The connection's own provider (default) or its declared successor */
      readonly provider?: string;
      /**
       * Format: uri
       * @description Must match TOKENLANE_ALLOWED_RETURN_URLS
       */
      readonly returnUrl?: string;
    };
    readonly Error: {
      readonly error: {
        /** @enum {string} */
        readonly code:
          | 'invalid_request'
          | 'invalid_json'
          | 'unauthorized'
          | 'insufficient_scope'
          | 'not_found'
          | 'unknown_provider'
          | 'provider_not_configured'
          | 'provider_retired'
          | 'return_url_not_allowed'
          | 'invalid_state'
          | 'invalid_signature'
          | 'invalid_pin'
          | 'link_expired'
          | 'reauth_required'
          | 'conflict'
          | 'payload_too_large'
          | 'unsupported_media_type'
          | 'rate_limited'
          | 'provider_error'
          | 'provider_timeout'
          | 'proxy_not_configured'
          | 'provider_unhealthy'
          | 'refresh_backoff'
          | 'service_unavailable'
          | 'internal';
        readonly message: string;
      };
    };
    readonly Revoking: {
      readonly connectionId: string;
      /** @constant */
      readonly status: 'revoking';
    };
    readonly Connection: {
      /** @description Connection id (a UUID) */
      readonly id: string;
      readonly userId: string;
      readonly provider: string;
      readonly providerUserId: string | null;
      /** @enum {string} */
      readonly status: 'active' | 'degraded' | 'reauth_required' | 'revoked';
      readonly scopes: readonly string[];
      /** @description When the current access token expires */
      readonly expiresAt: string | null;
      /** @description When tokenlane next refreshes the tokens */
      readonly refreshDueAt: string | null;
      readonly lastRefreshedAt: string | null;
      readonly lastErrorCode: string | null;
      readonly refreshAttempts: number;
      /** Format: date-time */
      readonly createdAt: string;
      /** Format: date-time */
      readonly updatedAt: string;
      readonly revokedAt: string | null;
      /** @description A pending reconsent migration; the connection keeps working meanwhile */
      readonly migration: {
        /** @description Link this provider for the connection (same id) while the user is present */
        readonly to: string;
        /** Format: date-time */
        readonly requestedAt: string;
      } | null;
      /** @description Since when the provider has not said who the user is (its identity look-up failed at the link): `providerUserId` is null until it does (`connection.identity_resolved`) */
      readonly identityPendingSince: string | null;
    };
    readonly Event: {
      /** @description Event id (a UUID), stable across redeliveries: dedupe on it */
      readonly id: string;
      /** @description Pass as `after` to list the events that follow this one */
      readonly cursor: string;
      /** @enum {string} */
      readonly type:
        | 'link.created'
        | 'link.failed'
        | 'connection.created'
        | 'connection.identity_resolved'
        | 'connection.refreshed'
        | 'connection.refresh_failed'
        | 'connection.degraded'
        | 'connection.recovered'
        | 'connection.reauth_required'
        | 'connection.revoked'
        | 'connection.migration_requested'
        | 'connection.migrated'
        | 'connection.expiring'
        | 'provider.unhealthy'
        | 'provider.recovered'
        | 'connection.token_read'
        | 'migration.completed'
        | 'migration.paused'
        | 'migration.resumed';
      /** Format: date-time */
      readonly createdAt: string;
      readonly connectionId: string | null;
      readonly linkId: string | null;
      readonly userId: string | null;
      readonly provider: string | null;
      readonly data: {
        readonly [key: string]: unknown;
      };
    };
    readonly Link: {
      readonly linkId: string;
      /** @description Send the user here */
      readonly linkWebUrl: string;
      /** @enum {string} */
      readonly method: 'redirect' | 'pin';
      /** Format: date-time */
      readonly expiresAt: string;
    };
    readonly Migration: {
      readonly id: string;
      readonly from: string;
      readonly to: string;
      /** @enum {string} */
      readonly mode: 'token_exchange' | 'reconsent';
      /** @enum {string} */
      readonly status: 'running' | 'paused' | 'completed' | 'cancelled';
      /** @description Why a paused run stopped: `credentials` or `clock` (the provider refused ours), `failure_rate` (over 20 % of the last 50 outcomes failed) or `operator` */
      readonly pausedReason: string | null;
      readonly dryRun: boolean;
      /** @description Connections by outcome */
      readonly counts: {
        readonly total: number;
        /** @description Not decided yet; total is the sum of every other count */
        readonly pending: number;
        readonly migrated: number;
        readonly awaitingConsent: number;
        readonly reauthRequired: number;
        readonly failed: number;
        readonly skipped: number;
      };
      /** Format: date-time */
      readonly createdAt: string;
      readonly finishedAt: string | null;
    };
    readonly Token:
      | {
          readonly accessToken: string;
          readonly tokenType: string;
          readonly expiresAt: string | null;
        }
      | {
          readonly token: string;
          /** @description OAuth 1.0a token secret */
          readonly tokenSecret: string;
        };
    readonly TokenConflict: {
      readonly error: {
        /** @enum {string} */
        readonly code: 'reauth_required' | 'conflict';
        readonly message: string;
        readonly linkWebUrl?: string;
        /** Format: date-time */
        readonly linkExpiresAt?: string;
      };
    };
    readonly RateWindow: {
      /** @description The window by its length (`60s`, `86400s`), as the gauge names it */
      readonly window: string;
      readonly requests: number;
      readonly perSeconds: number;
      /** @enum {string} */
      readonly per: 'app' | 'connection';
      /** @description Calls left in the current window: app-wide windows, and per-connection ones for ?connectionId= (else null) */
      readonly remaining: number | null;
    };
    readonly Provider: {
      readonly id: string;
      readonly displayName: string;
      /** @enum {string} */
      readonly kind: 'oauth2' | 'oauth1';
      /**
       * @description How the user completes a link
       * @enum {string}
       */
      readonly method: 'redirect' | 'pin';
      /** @description Credentials are present: links can be created */
      readonly configured: boolean;
      /** @description Declared in the providers file rather than built in */
      readonly custom: boolean;
      readonly deprecated: {
        readonly note: string;
        /** @description Same as sunsetAt (kept for older clients) */
        readonly sunset?: string;
        /** @description Same as successor (kept for older clients) */
        readonly replacedBy?: string;
      } | null;
      /** @description When the provider stops answering (ISO date); its connections then need a re-link */
      readonly sunsetAt: string | null;
      /** @description Where its users move (link this provider instead) */
      readonly successor: string | null;
      /** @description The sunset has passed: new links are refused (410 provider_retired) */
      readonly retired: boolean;
      /** @description Its users can be moved to the successor without them (migration mode token_exchange) */
      readonly tokenExchange: boolean;
      /** @description Its one rate budget, shared by refreshes, identity look-ups and proxied calls; proxied calls leave TOKENLANE_REFRESH_RESERVE of each window */
      readonly rateLimits: readonly components['schemas']['RateWindow'][];
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  readonly getHealth: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "ok"
           *     }
           */
          readonly 'application/json': {
            /** @enum {string} */
            readonly status: 'ok';
          };
        };
      };
    };
  };
  readonly getReadiness: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "ok",
           *       "checks": {
           *         "redis": true,
           *         "database": true,
           *         "migrations": true
           *       }
           *     }
           */
          readonly 'application/json': {
            /** @enum {string} */
            readonly status: 'ok' | 'unavailable';
            readonly checks: {
              readonly redis: boolean;
              readonly database: boolean;
              readonly migrations: boolean;
            };
          };
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "unavailable",
           *       "checks": {
           *         "redis": false,
           *         "database": true,
           *         "migrations": true
           *       }
           *     }
           */
          readonly 'application/json': {
            /** @enum {string} */
            readonly status: 'ok' | 'unavailable';
            readonly checks: {
              readonly redis: boolean;
              readonly database: boolean;
              readonly migrations: boolean;
            };
          };
        };
      };
    };
  };
  readonly getMetrics: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  readonly listProviders: {
    readonly parameters: {
      readonly query?: {
        /** @description Also what is left of this connection's per-connection windows */
        readonly connectionId?: string;
      };
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "fitbit",
           *           "displayName": "Fitbit (legacy Web API)",
           *           "kind": "oauth2",
           *           "method": "redirect",
           *           "configured": true,
           *           "custom": false,
           *           "deprecated": {
           *             "note": "Fitbit Web API is retiring",
           *             "replacedBy": "google-health"
           *           },
           *           "sunsetAt": "2026-11-02",
           *           "successor": "google-health",
           *           "retired": false,
           *           "tokenExchange": false,
           *           "rateLimits": [
           *             {
           *               "window": "3600s",
           *               "requests": 150,
           *               "perSeconds": 3600,
           *               "per": "connection",
           *               "remaining": null
           *             }
           *           ]
           *         }
           *       ]
           *     }
           */
          readonly 'application/json': {
            readonly data: readonly components['schemas']['Provider'][];
          };
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly getConnection: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f",
           *       "userId": "user-1",
           *       "provider": "fitbit",
           *       "providerUserId": "7QX8KL",
           *       "status": "active",
           *       "scopes": [
           *         "activity",
           *         "sleep"
           *       ],
           *       "expiresAt": "2026-12-01T10:00:00.000Z",
           *       "refreshDueAt": "2026-12-01T09:30:00.000Z",
           *       "lastRefreshedAt": "2026-12-01T02:00:00.000Z",
           *       "lastErrorCode": null,
           *       "refreshAttempts": 0,
           *       "createdAt": "2026-11-02T08:15:00.000Z",
           *       "updatedAt": "2026-12-01T02:00:00.000Z",
           *       "revokedAt": null,
           *       "migration": null,
           *       "identityPendingSince": null
           *     }
           */
          readonly 'application/json': components['schemas']['Connection'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "not_found",
           *         "message": "Connection not found"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly deleteConnection: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 202: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "connectionId": "6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f",
           *       "status": "revoking"
           *     }
           */
          readonly 'application/json': components['schemas']['Revoking'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly listConnections: {
    readonly parameters: {
      readonly query?: {
        readonly userId?: string;
        readonly provider?: string;
        readonly status?: 'active' | 'degraded' | 'reauth_required' | 'revoked';
        /** @description `nextCursor` of the previous page */
        readonly after?: string;
        /** @description Page size (1–200, default 50) */
        readonly limit?: number;
      };
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f",
           *           "userId": "user-1",
           *           "provider": "fitbit",
           *           "providerUserId": "7QX8KL",
           *           "status": "active",
           *           "scopes": [
           *             "activity",
           *             "sleep"
           *           ],
           *           "expiresAt": "2026-12-01T10:00:00.000Z",
           *           "refreshDueAt": "2026-12-01T09:30:00.000Z",
           *           "lastRefreshedAt": "2026-12-01T02:00:00.000Z",
           *           "lastErrorCode": null,
           *           "refreshAttempts": 0,
           *           "createdAt": "2026-11-02T08:15:00.000Z",
           *           "updatedAt": "2026-12-01T02:00:00.000Z",
           *           "revokedAt": null,
           *           "migration": null,
           *           "identityPendingSince": null
           *         }
           *       ],
           *       "nextCursor": "6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f"
           *     }
           */
          readonly 'application/json': {
            readonly data: readonly components['schemas']['Connection'][];
            /** @description Pass as `after` for the next page; null when this page is the last */
            readonly nextCursor: string | null;
          };
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly answerProviderHandshake: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly provider: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "hub.challenge": "15f7d1a91c1f40f8a748fd134752feb3"
           *     }
           */
          readonly 'application/json': {
            readonly [key: string]: string;
          };
        };
      };
      /** @description No content */
      readonly 204: {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly receiveProviderNotice: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly provider: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "received": true
           *     }
           */
          readonly 'application/json': {
            /** @enum {boolean} */
            readonly received: true;
          };
        };
      };
      /** @description No content */
      readonly 204: {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 413: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 415: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 429: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly answerProviderHandshakeAtSecretPath: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly provider: string;
        readonly rest: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "hub.challenge": "15f7d1a91c1f40f8a748fd134752feb3"
           *     }
           */
          readonly 'application/json': {
            readonly [key: string]: string;
          };
        };
      };
      /** @description No content */
      readonly 204: {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly receiveProviderNoticeAtSecretPath: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly provider: string;
        readonly rest: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "received": true
           *     }
           */
          readonly 'application/json': {
            /** @enum {boolean} */
            readonly received: true;
          };
        };
      };
      /** @description No content */
      readonly 204: {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 413: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 415: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 429: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly listEvents: {
    readonly parameters: {
      readonly query?: {
        /** @description `cursor` of the last event seen (or `nextCursor`); omit to start at the beginning */
        readonly after?: string;
        /** @description Page size (1–200, default 50) */
        readonly limit?: number;
      };
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
           *           "cursor": "42",
           *           "type": "connection.refreshed",
           *           "createdAt": "2026-12-01T02:00:00.000Z",
           *           "connectionId": "6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f",
           *           "linkId": null,
           *           "userId": "user-1",
           *           "provider": "fitbit",
           *           "data": {
           *             "status": "active",
           *             "expiresAt": "2026-12-01T10:00:00.000Z",
           *             "trigger": "schedule",
           *             "durationMs": 212
           *           }
           *         }
           *       ],
           *       "nextCursor": "42"
           *     }
           */
          readonly 'application/json': {
            readonly data: readonly components['schemas']['Event'][];
            /** @description Pass as `after` for the next page; null when this page is the last */
            readonly nextCursor: string | null;
          };
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly createLink: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody: {
      readonly content: {
        /**
         * @example {
         *       "userId": "user-1",
         *       "provider": "fitbit",
         *       "returnUrl": "https://app.example/linked"
         *     }
         */
        readonly 'application/json': components['schemas']['CreateLinkInput'];
      };
    };
    readonly responses: {
      /** @description Default Response */
      readonly 201: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "linkId": "0b7e4f2a-3c1d-4e5f-8a9b-0c1d2e3f4a5b",
           *       "linkWebUrl": "https://tokenlane.example/connect/q3vX…",
           *       "method": "redirect",
           *       "expiresAt": "2026-12-01T10:15:00.000Z"
           *     }
           */
          readonly 'application/json': components['schemas']['Link'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 410: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 422: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly completeLinkCallback: {
    readonly parameters: {
      readonly query?: {
        readonly state?: string;
        readonly code?: string;
        readonly error?: string;
        readonly iss?: string;
        readonly oauth_token?: string;
        readonly oauth_verifier?: string;
      };
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description A page (HTML) saying what happened, for a link without a `returnUrl` */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Redirect to `returnUrl` with `status` and `connectionId`, `linkId` or `code` */
      readonly 302: {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "invalid_state",
           *         "message": "Unknown, expired or used state"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly completePinLink: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly linkId: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody: {
      readonly content: {
        /**
         * @example {
         *       "pin": "12345678"
         *     }
         */
        readonly 'application/json': {
          readonly pin: string;
        };
      };
    };
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "connectionId": "6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f",
           *       "status": "active"
           *     }
           */
          readonly 'application/json': {
            readonly connectionId: string;
            /** @enum {string} */
            readonly status: 'active';
          };
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 410: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly showLinkPage: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description The page (HTML) whose button continues the link */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "conflict",
           *         "message": "This link was already opened"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly continueLink: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Redirect to the provider's authorization page */
      readonly 303: {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 403: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "conflict",
           *         "message": "This link was already opened"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly relinkConnection: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody: {
      readonly content: {
        /**
         * @example {
         *       "returnUrl": "https://app.example/linked"
         *     }
         */
        readonly 'application/json': components['schemas']['RelinkInput'];
      };
    };
    readonly responses: {
      /** @description Default Response */
      readonly 201: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "linkId": "0b7e4f2a-3c1d-4e5f-8a9b-0c1d2e3f4a5b",
           *       "linkWebUrl": "https://tokenlane.example/connect/q3vX…",
           *       "method": "redirect",
           *       "expiresAt": "2026-12-01T10:15:00.000Z"
           *     }
           */
          readonly 'application/json': components['schemas']['Link'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 422: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly getToken: {
    readonly parameters: {
      readonly query?: {
        readonly minValidity?: number;
      };
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "accessToken": "eyJhbGciOi…",
           *       "tokenType": "Bearer",
           *       "expiresAt": "2026-12-01T10:00:00.000Z"
           *     }
           */
          readonly 'application/json': components['schemas']['Token'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "reauth_required",
           *         "message": "The user must re-authorize",
           *         "linkWebUrl": "https://tokenlane.example/connect/q3vX…",
           *         "linkExpiresAt": "2026-12-01T10:15:00.000Z"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['TokenConflict'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly refreshConnection: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 202: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "connectionId": "6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f",
           *       "status": "refreshing"
           *     }
           */
          readonly 'application/json': {
            readonly connectionId: string;
            readonly status: string;
          };
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly reportUnauthorized: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody: {
      readonly content: {
        /**
         * @example {
         *       "accessToken": "eyJhbGciOi…"
         *     }
         */
        readonly 'application/json': {
          readonly accessToken: string;
        };
      };
    };
    readonly responses: {
      /** @description Default Response */
      readonly 202: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "connectionId": "6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f",
           *       "status": "accepted"
           *     }
           */
          readonly 'application/json': {
            readonly connectionId: string;
            readonly status: string;
          };
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly proxyGet: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
        readonly rest: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "invalid_request",
           *         "message": "The proxied path is refused (dot_segment): it must stay under the provider's API"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 413: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 422: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "proxy_not_configured",
           *         "message": "acme declares no apiBaseUrl: set one in the providers file"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 502: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 504: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "provider_timeout",
           *         "message": "the provider did not answer in time"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description The provider's answer as it gave it (any status, headers and body), with `Tokenlane-Connection-Status` */
      readonly '2XX': {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  readonly proxyPut: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
        readonly rest: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "invalid_request",
           *         "message": "The proxied path is refused (dot_segment): it must stay under the provider's API"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 413: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 422: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "proxy_not_configured",
           *         "message": "acme declares no apiBaseUrl: set one in the providers file"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 502: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 504: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "provider_timeout",
           *         "message": "the provider did not answer in time"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description The provider's answer as it gave it (any status, headers and body), with `Tokenlane-Connection-Status` */
      readonly '2XX': {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  readonly proxyPost: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
        readonly rest: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "invalid_request",
           *         "message": "The proxied path is refused (dot_segment): it must stay under the provider's API"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 413: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 422: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "proxy_not_configured",
           *         "message": "acme declares no apiBaseUrl: set one in the providers file"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 502: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 504: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "provider_timeout",
           *         "message": "the provider did not answer in time"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description The provider's answer as it gave it (any status, headers and body), with `Tokenlane-Connection-Status` */
      readonly '2XX': {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  readonly proxyDelete: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
        readonly rest: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "invalid_request",
           *         "message": "The proxied path is refused (dot_segment): it must stay under the provider's API"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 413: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 422: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "proxy_not_configured",
           *         "message": "acme declares no apiBaseUrl: set one in the providers file"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 502: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 504: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "provider_timeout",
           *         "message": "the provider did not answer in time"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description The provider's answer as it gave it (any status, headers and body), with `Tokenlane-Connection-Status` */
      readonly '2XX': {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  readonly proxyPatch: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
        readonly rest: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "invalid_request",
           *         "message": "The proxied path is refused (dot_segment): it must stay under the provider's API"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 413: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 422: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "proxy_not_configured",
           *         "message": "acme declares no apiBaseUrl: set one in the providers file"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 502: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 504: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "provider_timeout",
           *         "message": "the provider did not answer in time"
           *       }
           *     }
           */
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description The provider's answer as it gave it (any status, headers and body), with `Tokenlane-Connection-Status` */
      readonly '2XX': {
        headers: {
          readonly [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  readonly listMigrations: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "3f2e1d0c-9b8a-4766-8554-433221100ffe",
           *           "from": "garmin",
           *           "to": "garmin-oauth2",
           *           "mode": "token_exchange",
           *           "status": "running",
           *           "pausedReason": null,
           *           "dryRun": false,
           *           "counts": {
           *             "total": 200,
           *             "migrated": 120,
           *             "awaitingConsent": 0,
           *             "reauthRequired": 2,
           *             "failed": 0,
           *             "skipped": 0,
           *             "pending": 78
           *           },
           *           "createdAt": "2026-12-01T02:00:00.000Z",
           *           "finishedAt": null
           *         }
           *       ]
           *     }
           */
          readonly 'application/json': {
            readonly data: readonly components['schemas']['Migration'][];
          };
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly startMigration: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly requestBody: {
      readonly content: {
        /**
         * @example {
         *       "from": "garmin",
         *       "to": "garmin-oauth2",
         *       "dryRun": true
         *     }
         */
        readonly 'application/json': components['schemas']['StartMigrationInput'];
      };
    };
    readonly responses: {
      /** @description Default Response */
      readonly 202: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "3f2e1d0c-9b8a-4766-8554-433221100ffe",
           *       "from": "garmin",
           *       "to": "garmin-oauth2",
           *       "mode": "token_exchange",
           *       "status": "running",
           *       "pausedReason": null,
           *       "dryRun": false,
           *       "counts": {
           *         "total": 200,
           *         "migrated": 120,
           *         "awaitingConsent": 0,
           *         "reauthRequired": 2,
           *         "failed": 0,
           *         "skipped": 0,
           *         "pending": 78
           *       },
           *       "createdAt": "2026-12-01T02:00:00.000Z",
           *       "finishedAt": null
           *     }
           */
          readonly 'application/json': components['schemas']['Migration'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 422: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly getMigration: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 200: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "3f2e1d0c-9b8a-4766-8554-433221100ffe",
           *       "from": "garmin",
           *       "to": "garmin-oauth2",
           *       "mode": "token_exchange",
           *       "status": "running",
           *       "pausedReason": null,
           *       "dryRun": false,
           *       "counts": {
           *         "total": 200,
           *         "migrated": 120,
           *         "awaitingConsent": 0,
           *         "reauthRequired": 2,
           *         "failed": 0,
           *         "skipped": 0,
           *         "pending": 78
           *       },
           *       "createdAt": "2026-12-01T02:00:00.000Z",
           *       "finishedAt": null
           *     }
           */
          readonly 'application/json': components['schemas']['Migration'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly cancelMigration: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 202: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "3f2e1d0c-9b8a-4766-8554-433221100ffe",
           *       "from": "garmin",
           *       "to": "garmin-oauth2",
           *       "mode": "token_exchange",
           *       "status": "cancelled",
           *       "pausedReason": null,
           *       "dryRun": false,
           *       "counts": {
           *         "total": 200,
           *         "migrated": 120,
           *         "awaitingConsent": 0,
           *         "reauthRequired": 2,
           *         "failed": 0,
           *         "skipped": 0,
           *         "pending": 78
           *       },
           *       "createdAt": "2026-12-01T02:00:00.000Z",
           *       "finishedAt": null
           *     }
           */
          readonly 'application/json': components['schemas']['Migration'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly pauseMigration: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 202: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "3f2e1d0c-9b8a-4766-8554-433221100ffe",
           *       "from": "garmin",
           *       "to": "garmin-oauth2",
           *       "mode": "token_exchange",
           *       "status": "paused",
           *       "pausedReason": "operator",
           *       "dryRun": false,
           *       "counts": {
           *         "total": 200,
           *         "migrated": 120,
           *         "awaitingConsent": 0,
           *         "reauthRequired": 2,
           *         "failed": 0,
           *         "skipped": 0,
           *         "pending": 78
           *       },
           *       "createdAt": "2026-12-01T02:00:00.000Z",
           *       "finishedAt": null
           *     }
           */
          readonly 'application/json': components['schemas']['Migration'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  readonly resumeMigration: {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path: {
        readonly id: string;
      };
      readonly cookie?: never;
    };
    readonly requestBody?: never;
    readonly responses: {
      /** @description Default Response */
      readonly 202: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "3f2e1d0c-9b8a-4766-8554-433221100ffe",
           *       "from": "garmin",
           *       "to": "garmin-oauth2",
           *       "mode": "token_exchange",
           *       "status": "running",
           *       "pausedReason": null,
           *       "dryRun": false,
           *       "counts": {
           *         "total": 200,
           *         "migrated": 120,
           *         "awaitingConsent": 0,
           *         "reauthRequired": 2,
           *         "failed": 0,
           *         "skipped": 0,
           *         "pending": 78
           *       },
           *       "createdAt": "2026-12-01T02:00:00.000Z",
           *       "finishedAt": null
           *     }
           */
          readonly 'application/json': components['schemas']['Migration'];
        };
      };
      /** @description Default Response */
      readonly 400: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 401: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 404: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 409: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 500: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
      /** @description Default Response */
      readonly 503: {
        headers: {
          readonly [name: string]: unknown;
        };
        content: {
          readonly 'application/json': components['schemas']['Error'];
        };
      };
    };
  };
}
type FlattenedDeepRequired<T> = {
  [K in keyof T]-?: FlattenedDeepRequired<
    T[K] extends unknown[] | undefined | null ? Extract<T[K], unknown[]>[number] : T[K]
  >;
};
type ReadonlyArray<T> = [Exclude<T, undefined>] extends [unknown[]]
  ? Readonly<Exclude<T, undefined>>
  : Readonly<Exclude<T, undefined>[]>;
export const pathsHealthzGetResponses200ContentApplicationJsonStatusValues: ReadonlyArray<
  FlattenedDeepRequired<paths>['/healthz']['get']['responses']['200']['content']['application/json']['status']
> = ['ok'];
export const pathsReadyzGetResponses200ContentApplicationJsonStatusValues: ReadonlyArray<
  FlattenedDeepRequired<paths>['/readyz']['get']['responses']['200']['content']['application/json']['status']
> = ['ok', 'unavailable'];
export const pathsReadyzGetResponses503ContentApplicationJsonStatusValues: ReadonlyArray<
  FlattenedDeepRequired<paths>['/readyz']['get']['responses']['503']['content']['application/json']['status']
> = ['ok', 'unavailable'];
export const pathsV1ConnectionsGetParametersQueryStatusValues: ReadonlyArray<
  FlattenedDeepRequired<paths>['/v1/connections']['get']['parameters']['query']['status']
> = ['active', 'degraded', 'reauth_required', 'revoked'];
export const pathsV1LinksLinkIdPinPostResponses200ContentApplicationJsonStatusValues: ReadonlyArray<
  FlattenedDeepRequired<paths>['/v1/links/{linkId}/pin']['post']['responses']['200']['content']['application/json']['status']
> = ['active'];
export const startMigrationInputModeValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['StartMigrationInput']['mode']
> = ['token_exchange', 'reconsent'];
export const errorErrorCodeValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['Error']['error']['code']
> = [
  'invalid_request',
  'invalid_json',
  'unauthorized',
  'insufficient_scope',
  'not_found',
  'unknown_provider',
  'provider_not_configured',
  'provider_retired',
  'return_url_not_allowed',
  'invalid_state',
  'invalid_signature',
  'invalid_pin',
  'link_expired',
  'reauth_required',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'provider_error',
  'provider_timeout',
  'proxy_not_configured',
  'provider_unhealthy',
  'refresh_backoff',
  'service_unavailable',
  'internal',
];
export const connectionStatusValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['Connection']['status']
> = ['active', 'degraded', 'reauth_required', 'revoked'];
export const eventTypeValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['Event']['type']
> = [
  'link.created',
  'link.failed',
  'connection.created',
  'connection.identity_resolved',
  'connection.refreshed',
  'connection.refresh_failed',
  'connection.degraded',
  'connection.recovered',
  'connection.reauth_required',
  'connection.revoked',
  'connection.migration_requested',
  'connection.migrated',
  'connection.expiring',
  'provider.unhealthy',
  'provider.recovered',
  'connection.token_read',
  'migration.completed',
  'migration.paused',
  'migration.resumed',
];
export const linkMethodValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['Link']['method']
> = ['redirect', 'pin'];
export const migrationModeValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['Migration']['mode']
> = ['token_exchange', 'reconsent'];
export const migrationStatusValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['Migration']['status']
> = ['running', 'paused', 'completed', 'cancelled'];
export const tokenConflictErrorCodeValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['TokenConflict']['error']['code']
> = ['reauth_required', 'conflict'];
export const rateWindowPerValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['RateWindow']['per']
> = ['app', 'connection'];
export const providerKindValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['Provider']['kind']
> = ['oauth2', 'oauth1'];
export const providerMethodValues: ReadonlyArray<
  FlattenedDeepRequired<components>['schemas']['Provider']['method']
> = ['redirect', 'pin'];

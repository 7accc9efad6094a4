export type { LifecycleContext, LifecycleSettings } from './context.js';
export { JOB_NAMES, JOBS, jobNamed } from './jobs.js';
export type { Job, JobName } from './jobs.js';
export { sweepJob } from './sweep.job.js';
export { LifecycleError } from './errors.js';
export type { LifecycleErrorCode } from './errors.js';
export { acceptCallback } from './links/callback.js';
export type { BrowserNonce, CallbackQuery, CallbackResult } from './links/callback.js';
export { openLink, previewLink } from './links/open-link.js';
export {
  explainCallbackRefusal,
  explainConnectRefusal,
  type ExplainedRefusal,
} from './links/refusal.js';
export type { LinkPreview } from './links/open-link.js';
export type { OpenedLink } from './links/open-link.js';
export { CodeSpentError, exchangeLink, failExchange } from './links/exchange.js';
export { exchangeJob } from './links/exchange.job.js';
export type { ExchangeDeps, ExchangeOutcome } from './links/exchange.js';
export { resolvePendingIdentity } from './links/identity.js';
export { identityJob, sweepIdentityLookups } from './links/identity.job.js';
export type { IdentityFailure, IdentityOutcome } from './links/identity.js';
export { submitPin } from './links/pin.js';
export { checkReturnUrl, startLink } from './links/start-link.js';
export type { LinkStarted, StartLinkInput } from './links/start-link.js';
export { openTokens, sealOAuth1Tokens, sealTokenSet } from './sealing.js';
export type { OpenTokens } from './sealing.js';
export { readConnection } from './tokens/batching.js';
export { refreshConnection } from './tokens/refresh.js';
export { refreshJob } from './tokens/refresh.job.js';
export type { RefreshPayload } from './tokens/refresh.job.js';
export {
  BATCH_WINDOW_MS,
  REFRESH_BATCH_MAX,
  refreshBatchConcurrency,
  refreshBatchJob,
  refreshesInFlight,
} from './tokens/refresh-batch.job.js';
export type {
  RefreshBatchDeps,
  RefreshBatchPayload,
  RefreshBatchResult,
} from './tokens/refresh-batch.job.js';
export type {
  RefreshDeps,
  RefreshOptions,
  RefreshOutcome,
  RefreshTrigger,
} from './tokens/refresh.js';
export { INTERRUPTED_REFRESH_CODE } from './tokens/refresh-failure.js';
export { providerHealth } from './providers/breaker.js';
export {
  providerBudgets,
  readBudget,
  takeBudget,
  type ProviderBudget,
  type WindowBudget,
} from './providers/budget.js';
export { failurePolicy, scaledFailurePolicy } from './policy.js';
export type { FailurePolicy } from './policy.js';
export { reauthConnection, reauthJob, reportUnauthorized } from './tokens/reauth.js';
export type { ReauthOutcome } from './tokens/reauth.js';
export { requireReauth, startRelink } from './tokens/relink.js';
export type { ReauthRequired } from './tokens/relink.js';
export { requestRefresh } from './tokens/request-refresh.js';
export { batchesOf, sweepDueRefreshes } from './tokens/sweep.js';
export type { SweepOptions } from './tokens/sweep.js';
export { getUsableToken } from './tokens/token-access.js';
export type { TokenAccessOptions, UsableToken } from './tokens/token-access.js';
export { deliverEvent, notifyJob } from './events/deliver.js';
export type { DeliverOptions } from './events/deliver.js';
export type { DeliveryOutcome } from './events/deliver.js';
export { DeliveryError } from './events/errors.js';
export type { DeliveryErrorCode } from './events/errors.js';
export { outboxJob, relayOutbox } from './events/relay.js';
export type { RelayOutcome } from './events/relay.js';
export { REVOKE_REASONS, revokeConnection, revokeJob } from './revoke/revoke.js';
export type { RevokeOptions, RevokeOutcome, RevokeReason } from './revoke/revoke.js';
export { applyRevocationNotice } from './revoke/notice.js';
export type {
  NoticeDecision,
  NoticeDecisionReason,
  NoticeResult,
  RevocationNotice,
} from './revoke/notice.js';
export { toConnectionView, toEventView } from './views.js';
export type { ConnectionView, EventView } from './views.js';
export { RETENTION_BATCH, retentionJob, runRetention } from './retention/retention.js';
export type { RetentionResult } from './retention/retention.js';
export {
  listMigrationViews,
  migrationView,
  resumeMigrations,
  startMigration,
} from './migrations/start.js';
export type { MigrationView, StartMigrationInput } from './migrations/start.js';
export { cancelMigration, pauseMigration, resumeMigration } from './migrations/control.js';
export { FAILURE_SHARE, FAILURE_WINDOW } from './migration-outcomes/pause.js';
export type { MigrationPauseReason } from './migration-outcomes/pause.js';
export { migrateConnection, migrateJob } from './migrations/run.js';
export type { MigrateOptions, MigrateOutcome } from './migrations/outcome.js';
export { retireSunsetConnections } from './migrations/sunset.js';
export { noticeRefreshTokenExpiry } from './tokens/refresh-token-expiry.js';
export { requestRevoke } from './revoke/request-revoke.js';
export { recordTokenRead } from './tokens/token-read.js';
export { proxyCall } from './proxy/forward.js';
export type { ProxyAnswer, ProxyCall } from './proxy/forward.js';
export { REPLAYABLE_BODY_BYTES } from './proxy/body.js';
export { PROXY_CACHE_ENTRIES, PROXY_CACHE_MS } from './tokens/credential-cache.js';
export { returnedResponseHeaders } from './proxy/headers.js';
export { MAX_RETRIES as MAX_PROXY_RETRIES } from './proxy/retries.js';

export { createDatabase } from './database.js';
export type { DatabaseHandle, DatabaseKind, DatabaseOptions } from './database.js';
export { MigrationError, migrateToLatest, pendingMigrations } from './migrate.js';
export { MIGRATIONS } from './migrations/index.js';
export {
  LINK_METHODS,
  LINK_SESSION_STATUSES,
  MIGRATION_MODES,
  MIGRATION_OUTCOMES,
  MIGRATION_STATUSES,
} from './schema.js';
export type {
  ConnectionsTable,
  Database,
  DbExecutor,
  EventsTable,
  JsonArray,
  JsonObject,
  JsonValue,
  LinkMethod,
  LinkSessionStatus,
  LinkSessionsTable,
  MigrationItemsTable,
  MigrationMode,
  MigrationOutcome,
  MigrationsTable,
  MigrationStatus,
  NoticeReceiptsTable,
} from './schema.js';
export {
  cancelMigration,
  completeMigrationIfDone,
  findMigration,
  insertMigration,
  listMigrations,
  migrationCounts,
  pauseMigration,
  recentMigrationFailures,
  resumeMigration,
  runningMigrationIds,
} from './provider-migrations.js';
export {
  findLiveConnectionsOf,
  findMigrationItem,
  findOpenMigrationItem,
  insertMigrationItems,
  markExchangeInFlight,
  pendingMigrationItems,
  setMigrationOutcome,
} from './migration-items.js';
export type { MigrationItem } from './migration-items.js';
export type { MigrationCounts, ProviderMigration } from './provider-migrations.js';
export type { Connection, ConnectionPatch, NewConnection } from './connection-rows.js';
export {
  claimDueRefreshes,
  extendRefreshLeases,
  releaseRefreshLeases,
  startClaimedRefreshes,
  startOneOffRefresh,
} from './refresh-lease.js';
export type { ClaimedRefresh, LeasedRefresh, LeaseRelease } from './refresh-lease.js';
export type { RefreshCandidate } from './refresh-read.js';
export {
  countConnectionsByProviderAndStatus,
  findByIdentity,
  findByProviderUser,
  findConnection,
  findConnectionForUpdate,
  findConnections,
  findDueRefreshes,
  insertConnection,
  listConnections,
  updateConnection,
} from './connections.js';
export type { ConnectionCount, ListConnectionsQuery } from './connections.js';
export {
  dueIdentityLookupsQuery,
  findDueIdentityLookups,
  findPendingIdentity,
} from './identity-pending.js';
export {
  connectionsNamedByNotice,
  noticeRevokesConnection,
  recordNoticeReceipts,
} from './notice-receipts.js';
export type { NewNoticeReceipt, NoticeReceipt, NoticedConnection } from './notice-receipts.js';
export { storeRefreshedTokens } from './refresh-write.js';
export type {
  RefreshAttempt,
  RefreshedTokens,
  RefreshWrite,
  RefreshWriteRequest,
} from './refresh-write.js';
export {
  findExpiredRefreshTokens,
  findUnannouncedExpiries,
  markExpiryAnnounced,
} from './refresh-token-expiry.js';
export { iterateCiphertexts, listRowsNotUnderKey, reencryptConnection } from './key-rotation.js';
export type { ConnectionCiphertexts, KeyRotationPage } from './key-rotation.js';
export type { LinkSession, LinkSessionPatch, NewLinkSession } from './link-session-rows.js';
export {
  claimPinSession,
  consumeRequestToken,
  consumeState,
  deleteExpiredLinkSessions,
  findLinkSession,
  findLinkSessionByRequestTokenHash,
  findLinkSessionByStateHash,
  insertLinkSession,
  updateLinkSession,
} from './link-sessions.js';
export {
  appendConnectionEvent,
  appendEvent,
  findEvent,
  listConnectionEvents,
  listEvents,
  listUndeliveredEvents,
  markDelivered,
  recordDeliveryFailure,
} from './events.js';
export type { EventRecord, ListEventsQuery, NewEvent } from './events.js';
export { TRANSITION_ERROR_CODES, TransitionError, transitionConnection } from './transition.js';
export type { TransitionErrorCode, TransitionEvent, TransitionResult } from './transition.js';
export { lastErrorCodes, refreshActivity } from './console.js';
export type { RefreshHour } from './console.js';
export {
  cancelConnectionLinks,
  countWrongPin,
  findLiveRelink,
  lockConnectionLinks,
  findLinkSessionByConnectHash,
  findOpenableLink,
  openConnectLink,
} from './link-session-guards.js';
export {
  deleteExpiredLinkSessionBatch,
  deleteOldEventBatch,
  deleteStaleNoticeReceiptBatch,
} from './retention.js';
export type { RetentionCutoffs } from './retention.js';
export {
  LINK_SESSION_CIPHERTEXTS,
  listLinkSessionsNotUnderKey,
  reencryptLinkSession,
} from './link-session-rotation.js';
export type {
  LinkSessionCiphertextColumn,
  LinkSessionCiphertexts,
} from './link-session-rotation.js';
export { countUndeliveredEvents, oldestOverdueRefresh } from './backlog.js';

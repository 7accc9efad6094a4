export {
  CONNECTION_STATUSES,
  CONNECTION_TRANSITIONS,
  REFRESHABLE_STATUSES,
  canTransition,
  isRefreshable,
} from './connection-status.js';
export type { ConnectionStatus } from './connection-status.js';
export { EVENT_TYPES } from './events.js';
export type { EventType } from './events.js';
export {
  isUuid,
  namedConnectionId,
  namedEventId,
  namedLinkSessionId,
  newConnectionId,
  newEventId,
  newLinkSessionId,
} from './ids.js';
export type { Brand, ConnectionId, EventId, LinkSessionId } from './ids.js';
export { MIN_MARGIN_MS, REFRESH_WINDOW, refreshDueAt } from './refresh-schedule.js';
export {
  API_ERROR_CODES,
  LINK_FAILURE_CODES,
  LINK_REFUSALS,
  REAUTH_REASONS,
  REDIRECT_ERROR_CODES,
  REFUSAL_CLASSES,
} from './codes.js';
export type {
  ApiErrorCode,
  LinkFailureCode,
  LinkRefusal,
  ReauthReason,
  RefusalClass,
} from './codes.js';

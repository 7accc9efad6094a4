export {
  CONNECTION_STATUSES,
  CONNECTION_TRANSITIONS,
  REFRESHABLE_STATUSES,
  canTransition,
} from './connection-status.js';
export type { ConnectionStatus } from './connection-status.js';
export { EVENT_TYPES } from './events.js';
export type { EventType } from './events.js';
export { isUuid, newConnectionId, newEventId, newLinkSessionId } from './ids.js';
export type { Brand, ConnectionId, EventId, LinkSessionId } from './ids.js';
export { MIN_MARGIN_MS, REFRESH_WINDOW, refreshDueAt } from './refresh-schedule.js';

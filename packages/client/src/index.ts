export { TokenlaneClient } from './client.js';
export type { TokenlaneClientOptions } from './client.js';
export { parseApiError, TokenlaneApiError } from './errors.js';
export { ConnectionProxy } from './proxy.js';
export type { ProxyRequestOptions } from './proxy.js';
export type { TokenlaneErrorCode } from './errors.js';
export { API_ERROR_CODES, CONNECTION_STATUSES, EVENT_TYPES, isOAuth1Token } from './types.js';
export type {
  AccessToken,
  ApiErrorBody,
  ApiErrorCode,
  Connection,
  ConnectionStatus,
  CreateLinkInput,
  EventType,
  GetTokenOptions,
  Link,
  ListConnectionsQuery,
  ListEventsQuery,
  Migration,
  OAuth1AccessToken,
  OAuth2AccessToken,
  Page,
  PinResult,
  ProviderInfo,
  RelinkInput,
  StartMigrationInput,
  TokenlaneEvent,
} from './types.js';
export { verifyEventSignature } from './signature.js';
export type { VerifyEventSignatureOptions } from './signature.js';
export { verifyWebhook } from './webhook.js';
export type { WebhookRequestHeaders } from './webhook.js';
/** The generated OpenAPI types, for what the named aliases above do not cover. */
export type { components, operations, paths } from './generated/api.js';

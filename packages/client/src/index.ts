export { TokenlaneClient } from './client.js';
export type { TokenlaneClientOptions } from './client.js';
export { parseApiError, TokenlaneApiError } from './errors.js';
export { ConnectionProxy } from './proxy.js';
export type { ProxyRequestOptions } from './proxy.js';
export type { TokenlaneErrorCode } from './errors.js';
export { CONNECTION_STATUSES, EVENT_TYPES, isOAuth1Token } from './types.js';
export type {
  AccessToken,
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
export { verifyEventSignature, verifyWebhook } from './webhook.js';
export type { VerifyEventSignatureOptions, WebhookRequestHeaders } from './webhook.js';

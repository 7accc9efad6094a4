export { BUILTIN_PROVIDERS } from './catalog/index.js';
export {
  classifyErrorString,
  classifyStatus,
  errorFromResponse,
  parseRetryAfter,
  providerErrorString,
} from './classify.js';
export type { ClassifyErrorHook } from './classify.js';
export { TOKEN_ENDPOINT_AUTH_METHODS } from './definition.js';
export type {
  AuthorizationUrlInput,
  Deprecation,
  NotificationSpec,
  OAuth1Definition,
  OAuth1Hooks,
  OAuth1Provider,
  OAuth2Definition,
  OAuth2Hooks,
  OAuth2Provider,
  PkceSupport,
  PostLinkContext,
  Provider,
  ProviderDefinition,
  ProviderUserInfo,
  RevokeInput,
  RevokeResult,
  TokenEndpointAuthMethod,
  TokenRequestDraft,
  UnconfiguredProvider,
} from './definition.js';
export {
  PROVIDER_ERROR_CODES,
  ProviderError,
  ProviderNotConfiguredError,
  ProvidersFileError,
  UnknownProviderError,
  assertNever,
  isRetryableCode,
  refusalClass,
} from './errors.js';
export type { ProviderErrorCode, ProviderErrorOptions } from './errors.js';
export {
  createHttpAgent,
  getHttpDispatcher,
  setHttpDispatcher,
  useProviderTimeout,
} from './http.js';
export type {
  CallOptions,
  HttpAgentOptions,
  HttpRequest,
  HttpResponse,
  RetryPolicy,
} from './http.js';
export {
  getAccessToken,
  getRequestToken,
  oauth1AuthorizationUrl,
  processCredentialsResponse,
  revokeOAuth1Tokens,
  runOAuth1PostLink,
  sendSignedRequest,
  signRequest,
} from './oauth1/client.js';
export type { AccessTokenInput, RequestToken, SignRequestInput } from './oauth1/client.js';
export { authorizationUrl, createPkce, pkceChallenge, usesPkce } from './oauth2/authorization.js';
export type { Pkce } from './oauth2/authorization.js';
export { runPostLink } from './oauth2/post-link.js';
export {
  processRevocationResponse,
  revokeTokens,
  sendBearerRequest,
  sendRevocationRequest,
} from './oauth2/revoke.js';
export type { TokenTypeHint } from './oauth2/revoke.js';
export {
  authenticateClient,
  basicAuthorization,
  exchangeCode,
  exchangePin,
  processTokenResponse,
  refreshTokens,
  sendTokenRequest,
  tokenRequest,
} from './oauth2/token.js';
export type { ExchangeCodeInput, TokenResponseContext } from './oauth2/token.js';
export { loadProviders } from './registry/load.js';
export type {
  LoadProvidersOptions,
  ProviderRegistry,
  RegisteredProvider,
} from './registry/load.js';
export { DEFAULT_RETRY_POLICY } from './retry.js';
export type { RetryMode } from './retry.js';
export type { OAuth1TokenSet, TokenMetadata, TokenSet } from './tokens.js';
export { NOTIFICATION_ERROR_CODES, NotificationError } from './notifications/errors.js';
export type { NotificationErrorCode } from './notifications/errors.js';
export {
  answerNotificationChallenge,
  notificationAckStatus,
  notificationFormatOf,
  verifyNotification,
} from './notifications/intake.js';
export type {
  ChallengeAnswer,
  ChallengeInput,
  NotificationInput,
  NotificationOutcome,
  Revocation,
} from './notifications/common.js';
export type { NotificationFormat } from './definition.js';

/**
 * The provider catalog and protocol clients, as the rest of tokenlane uses them: the registry
 * loaded from the providers file, the OAuth 2.0 / 1.0a calls of each flow, the closed error
 * codes and their refusal classes, and the notification verifiers. Everything else (request
 * builders, response parsers, HTTP plumbing) stays inside the package.
 */
export { parseRetryAfter } from './classify.js';
export type { ClassifyErrorHook } from './classify.js';
export type {
  IdentityLookup,
  OAuth1Definition,
  OAuth1Hooks,
  OAuth1Provider,
  OAuth2Definition,
  OAuth2Hooks,
  OAuth2Provider,
  Provider,
  ProviderDefinition,
  RevokeResult,
} from './definition.js';
export {
  PROVIDER_ERROR_CODES,
  ProviderError,
  ProviderNotConfiguredError,
  UnknownProviderError,
  refusalClass,
} from './errors.js';
export type { ProviderErrorCode, ProviderErrorOptions } from './errors.js';
export { createHttpAgent, useProviderTimeout } from './http.js';
export type { CallOptions } from './http.js';
export {
  getAccessToken,
  getRequestToken,
  oauth1AuthorizationUrl,
  revokeOAuth1Tokens,
  runOAuth1PostLink,
  signRequest,
} from './oauth1/client.js';
export type { AccessTokenInput, RequestToken, SignRequestInput } from './oauth1/client.js';
export { authorizationUrl, createPkce, pkceChallenge, usesPkce } from './oauth2/authorization.js';
export type { Pkce } from './oauth2/authorization.js';
export { lookUpIdentity } from './oauth2/identity.js';
export type { FoundIdentity } from './oauth2/identity.js';
export { runPostLink } from './oauth2/post-link.js';
export { revokeTokens } from './oauth2/revoke.js';
export type { TokenTypeHint } from './oauth2/revoke.js';
export { exchangeCode, exchangePin, refreshTokens } from './oauth2/token.js';
export type { ExchangeCodeInput, TokenResponseContext } from './oauth2/token.js';
export { loadProviders } from './registry/load.js';
export { isRetired, sunsetInstant } from './registry/sunset.js';
export {
  exchangeOAuth1Token,
  supportsTokenExchange,
  tokenExchangeRefusal,
} from './migration/token-exchange.js';
export type { TokenExchangeRefusal } from './migration/token-exchange.js';
export { checkOAuth1Grant, oauth1RefusalCause } from './oauth1/grant-check.js';
export type { OAuth1GrantVerdict, OAuth1RefusalCause } from './oauth1/grant-check.js';
export type { ProviderRegistry, RegisteredProvider } from './registry/load.js';
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
export type { NotificationInput, NotificationOutcome, Revocation } from './notifications/common.js';
export type { NotificationFormat } from './definition.js';

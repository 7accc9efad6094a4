/**
 * The provider catalog, as the rest of tokenlane uses it: the registry loaded from the providers
 * file, the OAuth 2.0 / 1.0a calls of each flow for a catalog provider (the protocol itself is
 * @tokenlane/oauth), the refusal classes of its error codes, and the notification verifiers.
 */
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
export { ProviderNotConfiguredError, UnknownProviderError, refusalClass } from './errors.js';
// What the catalog's calls answer and throw, so their callers need no second import.
export { ProviderError } from '@tokenlane/oauth';
export type { CallOptions, OAuth1TokenSet, ProviderErrorCode } from '@tokenlane/oauth';
// OAuth 1.0a calls take a catalog provider as it is (it is an OAuth1Client).
export {
  getAccessToken,
  getRequestToken,
  oauth1AuthorizationUrl,
  signRequest,
} from '@tokenlane/oauth';
export {
  authorizationUrl,
  exchangeCode,
  exchangePin,
  refreshTokens,
  revokeOAuth1Tokens,
  revokeTokens,
  runOAuth1PostLink,
  usesPkce,
} from './protocol.js';
export { lookUpIdentity } from './oauth2/identity.js';
export type { FoundIdentity } from './oauth2/identity.js';
export { runPostLink } from './oauth2/post-link.js';
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
export type { TokenSet } from './token-set.js';
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

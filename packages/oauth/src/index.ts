/**
 * OAuth 2.0 and OAuth 1.0a as the standards define them, for any server: each call takes plain
 * parameters (an `OAuth2Client` or `OAuth1Client`: endpoints, client credentials, the client
 * authentication method, quirks as optional functions) and never a catalog entry. Requests and
 * answers are separate functions (`send…Request` / `process…Response`) beside the one-call
 * helpers; every token is a `Secret`, every failure a `ProviderError` from one closed set.
 */
export { PROVIDER_ERROR_CODES, ProviderError, assertNever, isRetryableCode } from './errors.js';
export type { ProviderErrorCode, ProviderErrorOptions } from './errors.js';
export {
  createHttpAgent,
  failedBeforeSending,
  getHttpDispatcher,
  header,
  send,
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
export { DEFAULT_RETRY_POLICY, withRetry } from './retry.js';
export type { RetryMode } from './retry.js';
export {
  classifyErrorString,
  classifyStatus,
  errorFromResponse,
  parseBody,
  parseRetryAfter,
  providerErrorString,
} from './classify.js';
export type { ClassifyErrorHook, ErrorContext, ErrorStringHook } from './classify.js';
export {
  expiresAfter,
  idTokenSubject,
  secret,
  splitScopes,
  tokenResponseSchema,
  userIdMember,
} from './tokens.js';
export type { OAuth1TokenSet, TokenMetadata, TokenResponseBody, TokenSet } from './tokens.js';
export { TOKEN_ENDPOINT_AUTH_METHODS } from './oauth2/client.js';
export type {
  AuthorizationUrlInput,
  OAuth2Client,
  OAuth2Quirks,
  PkceSupport,
  ProviderUserInfo,
  TokenEndpointAuthMethod,
  TokenRequestDraft,
} from './oauth2/client.js';
export { authorizationUrl, createPkce, pkceChallenge, usesPkce } from './oauth2/authorization.js';
export type { Pkce } from './oauth2/authorization.js';
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
export {
  processRevocationResponse,
  revokeTokens,
  sendBearerRequest,
  sendRevocationRequest,
} from './oauth2/revoke.js';
export type { RevokeInput, RevokeResult, TokenTypeHint } from './oauth2/revoke.js';
export {
  getAccessToken,
  getRequestToken,
  oauth1AuthorizationUrl,
  processCredentialsResponse,
  sendSignedRequest,
  signRequest,
} from './oauth1/client.js';
export type {
  AccessTokenInput,
  OAuth1Client,
  RequestToken,
  SignRequestInput,
} from './oauth1/client.js';

export { buildApp, BODY_LIMIT_BYTES } from './app.js';
export { buildOpenApiDocument } from './openapi-document.js';
export { isOperationalPath, listenInternal } from './internal-listener.js';
export type { BuildAppOptions } from './app.js';
export {
  apiKeyHook,
  authenticate,
  authorize,
  bearerToken,
  findApiKey,
  matchesApiKey,
} from './auth.js';
export {
  errorHandler,
  notFoundHandler,
  PROVIDER_NOT_CONFIGURED_STATUS,
  toHttpError,
} from './error-handler.js';
export {
  authedErrorResponses,
  ERROR_CODES,
  errorBody,
  errorBodySchema,
  errorResponses,
  HttpError,
} from './errors.js';
export type { ErrorBody, ErrorCode, HttpErrorOptions } from './errors.js';
export { isUnavailableError } from './unavailable.js';
export {
  connectionViewSchema,
  eventViewSchema,
  pageSchema,
  toConnectionView,
  toEventView,
} from './views.js';
export type { ConnectionView, EventView } from './views.js';
export { providerViewSchema, toProviderView } from './routes/providers.js';
export type { ProviderView } from './routes/providers.js';
export { linkCookieName } from './link-cookie.js';
/** The end-user pages' words, one catalog per language (for tests and wording reviews). */
export { LANGUAGES, OUTCOMES, wordsFor } from './pages/words/index.js';
export type { Language, Outcome, Words } from './pages/words/index.js';

import { ProviderError, type ProviderErrorCode } from './errors.js';
import { header, type HttpResponse } from './http.js';

/**
 * Error strings servers put in bodies, mapped to our codes: RFC 6749 §5.2, RFC 6750 §3.1,
 * RFC 7009 §2.2.1 and the OAuth 1.0a problem-reporting extension.
 */
const KNOWN_ERRORS: Readonly<Record<string, ProviderErrorCode>> = {
  invalid_grant: 'invalid_grant',
  invalid_client: 'invalid_client',
  unauthorized_client: 'invalid_client',
  invalid_request: 'invalid_request',
  invalid_scope: 'invalid_scope',
  insufficient_scope: 'invalid_scope',
  access_denied: 'access_denied',
  unsupported_grant_type: 'unsupported',
  unsupported_response_type: 'unsupported',
  unsupported_token_type: 'unsupported',
  temporarily_unavailable: 'provider_unavailable',
  server_error: 'provider_unavailable',
  slow_down: 'rate_limited',
  invalid_token: 'unauthorized',
  expired_token: 'unauthorized',
  // OAuth 1.0a oauth_problem values (wiki.oauth.net/ProblemReporting)
  signature_invalid: 'unauthorized',
  signature_method_rejected: 'unauthorized',
  timestamp_refused: 'unauthorized',
  nonce_used: 'unauthorized',
  consumer_key_unknown: 'invalid_client',
  consumer_key_rejected: 'invalid_client',
  token_rejected: 'invalid_grant',
  token_expired: 'invalid_grant',
  token_revoked: 'invalid_grant',
  token_used: 'invalid_grant',
  verifier_invalid: 'invalid_grant',
  permission_denied: 'access_denied',
  parameter_absent: 'invalid_request',
  parameter_rejected: 'invalid_request',
};

/** Classifies a provider error string; undefined when it is not one we know. */
export function classifyErrorString(value: string): ProviderErrorCode | undefined {
  return Object.hasOwn(KNOWN_ERRORS, value) ? KNOWN_ERRORS[value] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The provider's own error string from the standard body shapes: RFC 6749 `{error}`, OAuth 1.0a
 * `oauth_problem=` (form bodies are parsed by the caller); a server with a shape of its own
 * reads it with an {@link ErrorStringHook}, tried first.
 */
export function providerErrorString(body: unknown, readOwn?: ErrorStringHook): string | undefined {
  const own = readOwn?.(body);
  if (own !== undefined) return own;
  if (!isRecord(body)) return undefined;
  if (typeof body.error === 'string') return body.error;
  if (typeof body.oauth_problem === 'string') return body.oauth_problem;
  return undefined;
}

/** The code an HTTP status implies when the body says nothing we understand. */
export function classifyStatus(status: number): ProviderErrorCode {
  if (status === 429) return 'rate_limited';
  // 408 is an answer (the provider gave up reading the request): it did not act on it.
  if (status === 408) return 'provider_unavailable';
  if (status >= 500) return 'provider_unavailable';
  if (status === 401) return 'unauthorized';
  if (status === 410) return 'provider_retired';
  if (status === 403) return 'access_denied';
  if (status === 404 || status === 405 || status === 501) return 'unsupported';
  if (status >= 400) return 'invalid_request';
  return 'invalid_response';
}

/** Milliseconds from a `Retry-After` header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Parses a JSON or form-encoded body; undefined when it is neither. */
export function parseBody(response: HttpResponse): unknown {
  const type = header(response, 'content-type') ?? '';
  const text = response.text.trim();
  if (text === '') return undefined;
  if (type.includes('x-www-form-urlencoded') || (!text.startsWith('{') && text.includes('='))) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Deliberately no cause: V8's SyntaxError quotes the body, which may hold tokens.
    return undefined;
  }
}

// Lower-case words or a short number: shaped like an error name, never like a token.
const SAFE_PROVIDER_CODE = /^(?:[a-z][a-z_.]{0,39}|\d{1,5})$/;

export type ClassifyErrorHook = (body: unknown, status: number) => ProviderErrorCode | undefined;

/** Reads a server's error string from a body shape of its own; undefined when it has none. */
export type ErrorStringHook = (body: unknown) => string | undefined;

/** How one failed answer is described and read. */
export interface ErrorContext {
  readonly providerId?: string;
  readonly what: string;
  readonly classify?: ClassifyErrorHook | undefined;
  readonly errorString?: ErrorStringHook | undefined;
}

/**
 * Builds the ProviderError for a failed answer: the body decides when it names a known error,
 * else the status does; 429 and 5xx always stay retryable. Never copies the body into it.
 */
export function errorFromResponse(
  response: HttpResponse,
  context: ErrorContext,
  body: unknown = parseBody(response),
): ProviderError {
  const providerCode = providerErrorString(body, context.errorString);
  const fromBody =
    context.classify?.(body, response.status) ??
    (providerCode === undefined ? undefined : classifyErrorString(providerCode));
  // 429, 5xx and 410 mean what they say whatever the body names.
  const transient = response.status === 429 || response.status >= 500 || response.status === 410;
  const code = transient
    ? classifyStatus(response.status)
    : (fromBody ?? classifyStatus(response.status));
  const retryAfterMs = parseRetryAfter(header(response, 'retry-after'));
  const safeProviderCode =
    providerCode !== undefined && SAFE_PROVIDER_CODE.test(providerCode) ? providerCode : undefined;
  const suffix = safeProviderCode === undefined ? '' : ` "${safeProviderCode}"`;
  return new ProviderError(code, `${context.what} answered HTTP ${response.status}${suffix}`, {
    status: response.status,
    ...(context.providerId === undefined ? {} : { providerId: context.providerId }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(safeProviderCode === undefined ? {} : { providerCode: safeProviderCode }),
  });
}

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  ProviderError,
  ProviderNotConfiguredError,
  UnknownProviderError,
} from '@tokenlane/providers';
import { LifecycleError, type LifecycleErrorCode } from '@tokenlane/lifecycle';
import { errorBody, HttpError, type ErrorCode } from './errors.js';
import { isUnavailableError } from './unavailable.js';

/**
 * `provider_not_configured` answers 422: the request is well-formed and names a real
 * provider, but this deployment has no credentials for it; retrying will not help until
 * the operator changes the providers file (409 would suggest a resource-state conflict).
 */
export const PROVIDER_NOT_CONFIGURED_STATUS = 422;

/** Fastify's own error codes, mapped to ours with a message that echoes nothing. */
const FRAMEWORK_ERRORS: Readonly<Record<string, readonly [number, ErrorCode, string]>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    400,
    'invalid_json',
    'The request body is empty but Content-Type is application/json',
  ],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'unsupported_media_type',
    'The request Content-Type is not supported (send application/json)',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'invalid_request',
    'The request body does not match its Content-Length',
  ],
  FST_ERR_BAD_URL: [400, 'invalid_request', 'The request URL is malformed'],
  // A path segment longer than any id names no resource.
  FST_ERR_MAX_PARAM_LENGTH: [404, 'not_found', 'Not found'],
  FST_ERR_NOT_FOUND: [404, 'not_found', 'Not found'],
};

/**
 * Every lifecycle refusal as the API answers it: status and code. Lifecycle errors reach the
 * error handler unchanged; this table is the one place they become HTTP.
 */
const LIFECYCLE_ERRORS: Readonly<Record<LifecycleErrorCode, readonly [number, ErrorCode]>> = {
  return_url_not_allowed: [400, 'return_url_not_allowed'],
  invalid_pin: [400, 'invalid_pin'],
  invalid_state: [401, 'invalid_state'],
  link_not_found: [404, 'not_found'],
  connection_not_found: [404, 'not_found'],
  connection_mismatch: [409, 'conflict'],
  link_not_pending: [409, 'conflict'],
  reauth_required: [409, 'reauth_required'],
  connection_revoked: [409, 'conflict'],
  link_expired: [410, 'link_expired'],
  refresh_pending: [503, 'service_unavailable'],
  refresh_backoff: [503, 'refresh_backoff'],
  provider_unhealthy: [503, 'provider_unhealthy'],
  // Gone for good: the provider's API is retired (the body names its successor).
  provider_retired: [410, 'provider_retired'],
  invalid_migration: [400, 'invalid_request'],
  migration_not_found: [404, 'not_found'],
  migration_finished: [409, 'conflict'],
  migration_state: [409, 'conflict'],
  invalid_proxy_request: [400, 'invalid_request'],
  proxy_not_configured: [422, 'proxy_not_configured'],
  provider_timeout: [504, 'provider_timeout'],
  provider_unreachable: [502, 'provider_error'],
  proxy_body_too_large: [413, 'payload_too_large'],
  rate_limited: [429, 'rate_limited'],
};

/** Waits the API asks for when a lifecycle refusal names none. */
const DEFAULT_RETRY_AFTER: Partial<Record<LifecycleErrorCode, number>> = { refresh_pending: 2 };

function fromLifecycle(error: LifecycleError): HttpError {
  const [status, code] = LIFECYCLE_ERRORS[error.code];
  const retryAfter = error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER[error.code];
  return new HttpError(status, code, error.message, {
    details: error.details,
    headers:
      retryAfter === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(retryAfter))) },
  });
}

/** Codes for other 4xx statuses a plugin may raise, with a generic message. */
const STATUS_CODES: Readonly<Record<number, readonly [ErrorCode, string]>> = {
  401: ['unauthorized', 'Unauthorized'],
  404: ['not_found', 'Not found'],
  413: ['payload_too_large', 'The request body is too large'],
  415: ['unsupported_media_type', 'The request Content-Type is not supported'],
  429: ['rate_limited', 'Too many requests'],
};

interface ValidationIssue {
  readonly instancePath?: string;
  readonly message?: string;
}

/** Names the failing field (`querystring.limit`) and says what is wrong, never its value. */
function validationMessage(error: FastifyError): string {
  const issue = (error.validation?.[0] ?? {}) as ValidationIssue;
  const location = error.validationContext ?? 'request';
  const path = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
  const field = path === '' ? location : `${location}.${path}`;
  return `Invalid ${field}: ${issue.message ?? 'invalid value'}`;
}

function safeProviderId(id: string): string {
  return /^[a-z0-9][a-z0-9-]{0,63}$/.test(id) ? ` "${id}"` : '';
}

/** Maps any thrown value to the HttpError the client sees. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof LifecycleError) return fromLifecycle(error);
  if (error instanceof UnknownProviderError) {
    return new HttpError(
      404,
      'unknown_provider',
      `Unknown provider${safeProviderId(error.providerId)}`,
    );
  }
  if (error instanceof ProviderNotConfiguredError) {
    return new HttpError(
      PROVIDER_NOT_CONFIGURED_STATUS,
      'provider_not_configured',
      `Provider${safeProviderId(error.providerId)} is not configured on this deployment`,
    );
  }
  if (error instanceof ProviderError) {
    const headers: Record<string, string> =
      error.retryAfterMs === undefined
        ? {}
        : { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) };
    return new HttpError(502, 'provider_error', `The provider request failed (${error.code})`, {
      headers,
    });
  }
  if (isUnavailableError(error)) {
    return new HttpError(
      503,
      'service_unavailable',
      'A backing service is unavailable; retry later',
      {
        headers: { 'retry-after': '1' },
      },
    );
  }
  const fastifyError = error as Partial<FastifyError>;
  if (Array.isArray(fastifyError.validation)) {
    return new HttpError(400, 'invalid_request', validationMessage(fastifyError as FastifyError));
  }
  const known =
    typeof fastifyError.code === 'string' ? FRAMEWORK_ERRORS[fastifyError.code] : undefined;
  if (known !== undefined) return new HttpError(...known);
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const [code, message] = STATUS_CODES[status] ?? ['invalid_request', 'The request is invalid'];
    return new HttpError(status, code, message);
  }
  return new HttpError(500, 'internal', 'Internal error');
}

/**
 * The app's error handler: every failure leaves as `{ error: { code, message } }`. 5xx are
 * logged with the original error (stack, cause); 4xx only by code, as they are the client's.
 */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const mapped = toHttpError(error);
  if (mapped.status >= 500) {
    request.log.error({ err: error, errorCode: mapped.code }, 'request failed');
  } else {
    request.log.info({ status: mapped.status, errorCode: mapped.code }, 'request rejected');
  }
  // Serialized here, not by the route's response schema: an error must never fail to send.
  void reply
    .code(mapped.status)
    .headers(mapped.headers)
    .type('application/json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(errorBody(mapped.code, mapped.message, mapped.details));
}

/** Unknown routes: the same JSON error as everything else. */
export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send(errorBody('not_found', 'Not found'));
}

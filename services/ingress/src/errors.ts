import { API_ERROR_CODES, type ApiErrorCode } from '@tokenlane/core';
import { z } from 'zod';

/** Every `error.code` the HTTP API answers with: core's closed set (docs/api.md lists them). */
export const ERROR_CODES = API_ERROR_CODES;
export type ErrorCode = ApiErrorCode;

export interface HttpErrorOptions {
  /** Response headers to send with the error (`WWW-Authenticate`, `Retry-After`, …). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Logged on 5xx, never sent. */
  readonly cause?: unknown;
  /** More fields of the error object (a re-link's `linkWebUrl`); never a secret. */
  readonly details?: Readonly<Record<string, string>>;
}

/**
 * An error a route means to answer with: the error handler sends `status` and
 * `{ error: { code, message } }`. The message goes to the client verbatim, so it must
 * never carry a secret or echo an input value.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, string>>;

  constructor(status: number, code: ErrorCode, message: string, options: HttpErrorOptions = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
    }
  }
}

/** The one error body shape: `{ error: { code, message } }`. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.output<typeof errorBodySchema>;

export function errorBody(
  code: ErrorCode,
  message: string,
  details: Readonly<Record<string, string>> = {},
): ErrorBody {
  return { error: { ...details, code, message } };
}

/**
 * Error responses for a route's `schema.response`, so the OpenAPI document lists them.
 * Pass the statuses the route can answer besides the ones every route can (400/401/500/503).
 */
export function errorResponses(
  ...statuses: readonly number[]
): Record<number, typeof errorBodySchema> {
  const all = new Set([400, 500, 503, ...statuses]);
  return Object.fromEntries([...all].map((status) => [status, errorBodySchema]));
}

/** `errorResponses` for `/v1/*` routes, which can also answer 401. */
export function authedErrorResponses(
  ...statuses: readonly number[]
): Record<number, typeof errorBodySchema> {
  return errorResponses(401, ...statuses);
}

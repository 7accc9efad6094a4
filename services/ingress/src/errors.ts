import { z } from 'zod';

/**
 * Every `error.code` the HTTP API answers with (DESIGN §5): a closed set, so clients can
 * switch on it. Adding one is a contract change; removing or renaming one breaks clients.
 */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_json',
  'unauthorized',
  'not_found',
  'unknown_provider',
  'provider_not_configured',
  'return_url_not_allowed',
  'invalid_state',
  'invalid_signature',
  'invalid_pin',
  'link_expired',
  'reauth_required',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'provider_error',
  'service_unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface HttpErrorOptions {
  /** Response headers to send with the error (`WWW-Authenticate`, `Retry-After`, …). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Logged on 5xx, never sent. */
  readonly cause?: unknown;
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

  constructor(status: number, code: ErrorCode, message: string, options: HttpErrorOptions = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
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

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
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

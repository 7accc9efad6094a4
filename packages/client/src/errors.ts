import { API_ERROR_CODES, type ApiErrorCode } from './types.js';

/**
 * What `TokenlaneApiError.code` can be: one of the API's closed codes (docs/api.md, "Error
 * codes"), `http_<status>` for an answer without one (a proxy's, or a code this SDK does
 * not know yet: that one is kept in `details.code`), or `invalid_response` for a 2xx whose
 * body is not JSON.
 */
export type TokenlaneErrorCode = ApiErrorCode | `http_${number}` | 'invalid_response';

/** Headers the error parser reads; undici gives lower-case names. */
type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A non-2xx answer from tokenlane: `status`, the stable `code` from
 * `{ "error": { "code", "message" } }`, and any other fields of that object in `details`
 * (e.g. `linkWebUrl` on `reauth_required`).
 */
export class TokenlaneApiError extends Error {
  override readonly name = 'TokenlaneApiError';
  readonly status: number;
  readonly code: TokenlaneErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  /** The response's `X-Request-Id`, to quote when asking the operator. */
  readonly requestId: string | undefined;
  /** `Retry-After` in seconds, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: TokenlaneErrorCode,
    message: string,
    options: {
      details?: Readonly<Record<string, unknown>>;
      requestId?: string | undefined;
      retryAfter?: number | undefined;
    } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = options.details ?? {};
    this.requestId = options.requestId;
    this.retryAfter = options.retryAfter;
  }
}

function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds the error for a non-2xx response from its status, headers and body text. */
export function parseApiError(
  status: number,
  headers: ResponseHeaders,
  text: string,
): TokenlaneApiError {
  const retryAfterHeader = header(headers, 'retry-after');
  const retryAfter =
    retryAfterHeader !== undefined && /^\d+$/.test(retryAfterHeader)
      ? Number(retryAfterHeader)
      : undefined;
  const options = { requestId: header(headers, 'x-request-id'), retryAfter };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = isRecord(body) ? body['error'] : undefined;
  if (isRecord(error) && typeof error['code'] === 'string') {
    const { code, message, ...details } = error;
    const messageText = typeof message === 'string' ? message : `HTTP ${status}`;
    const known = API_ERROR_CODES.find((candidate) => candidate === code);
    return new TokenlaneApiError(status, known ?? `http_${status}`, messageText, {
      ...options,
      details: known === undefined ? { ...details, code } : details,
    });
  }
  return new TokenlaneApiError(status, `http_${status}`, `HTTP ${status}`, options);
}

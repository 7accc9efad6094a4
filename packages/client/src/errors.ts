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
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** The response's `X-Request-Id`, to quote when asking the operator. */
  readonly requestId: string | undefined;
  /** `Retry-After` in seconds, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: string,
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
    return new TokenlaneApiError(status, code, messageText, { ...options, details });
  }
  return new TokenlaneApiError(status, `http_${status}`, `HTTP ${status}`, options);
}

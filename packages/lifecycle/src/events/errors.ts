/** Every way a webhook delivery can fail; all of them are retried with backoff. */
export const DELIVERY_ERROR_CODES = ['http_status', 'timeout', 'network'] as const;
export type DeliveryErrorCode = (typeof DELIVERY_ERROR_CODES)[number];

export interface DeliveryErrorOptions {
  readonly status?: number | undefined;
  /** The receiver's `Retry-After`; the queue's backoff waits at least this long. */
  readonly retryAfterMs?: number | undefined;
  readonly cause?: unknown;
}

/**
 * One failed attempt to deliver an event to `TOKENLANE_WEBHOOK_URL`. Neither the message nor
 * any enumerable field holds the body, the secret or the webhook's path; `cause` (a socket
 * error, never a response body) is non-enumerable.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly code: DeliveryErrorCode;
  readonly retryable = true;
  // `declare`: absent options leave no `undefined` own properties behind.
  declare readonly status?: number;
  declare readonly retryAfterMs?: number;

  constructor(code: DeliveryErrorCode, message: string, options: DeliveryErrorOptions = {}) {
    super(message);
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
    }
  }

  /** The short code kept in `events.last_delivery_error`: `http_503`, `timeout`, `network`. */
  get recordedAs(): string {
    return this.code === 'http_status' && this.status !== undefined
      ? `http_${this.status}`
      : this.code;
  }
}

/** Why a lifecycle request was refused; each maps to one HTTP status at the ingress. */
export const LIFECYCLE_ERROR_CODES = {
  return_url_not_allowed: 400,
  invalid_pin: 400,
  invalid_state: 401,
  link_not_found: 404,
  connection_not_found: 404,
  connection_mismatch: 409,
  link_not_pending: 409,
  link_expired: 410,
  reauth_required: 409,
  connection_revoked: 409,
  refresh_pending: 503,
} as const;
export type LifecycleErrorCode = keyof typeof LIFECYCLE_ERROR_CODES;

/** A refused lifecycle request: a caller's mistake, never carrying a secret. */
export class LifecycleError extends Error {
  override readonly name = 'LifecycleError';
  readonly status: number;
  constructor(
    readonly code: LifecycleErrorCode,
    message: string,
  ) {
    super(message);
    this.status = LIFECYCLE_ERROR_CODES[code];
  }
}

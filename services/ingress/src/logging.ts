import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { Logger } from '@tokenlane/config';

/** The request id header, read from the caller and echoed on every response. */
export const REQUEST_ID_HEADER = 'x-request-id';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The caller's `X-Request-Id` when it looks like an id, else a fresh UUID. Checked because
 * the value lands in every log line of the request: an arbitrary header would let callers
 * write into our logs.
 */
export function genReqId(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * How a request appears in logs: method, matched route and path. Never the query string
 * (callbacks carry codes and state) and never headers (Authorization). Under `/webhooks/`,
 * everything after the provider segment is an intake secret: redacted whether or not a route
 * matched.
 */
export function serializeRequest(request: FastifyRequest): Record<string, string | undefined> {
  return {
    method: request.method,
    route: request.routeOptions.url,
    path: redactPath(request.url.split('?', 1)[0] ?? ''),
  };
}

/** `/webhooks/<provider>/<secret…>` → `/webhooks/<provider>/[redacted]`; other paths unchanged. */
export function redactPath(path: string): string {
  const match = /^(\/+webhooks\/+[^/]*)\/./i.exec(path);
  return match === null ? path : `${match[1] ?? ''}/[redacted]`;
}

/** A child of `logger` that logs requests with {@link serializeRequest}. */
export function requestLogger(logger: Logger): Logger {
  return logger.child({}, { serializers: { req: serializeRequest } });
}

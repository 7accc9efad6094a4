import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { timingSafeEqualString } from '@tokenlane/vault';
import { HttpError } from './errors.js';

const REALM = 'Bearer realm="tokenlane"';

/**
 * True when `presented` equals one of `apiKeys`. Every key is compared, whatever matched
 * first, so the time taken says nothing about which key (or whether an early one) matched.
 */
export function matchesApiKey(presented: string, apiKeys: readonly string[]): boolean {
  let matched = false;
  for (const key of apiKeys) {
    // The comparison runs before the `||`, so it is never skipped.
    matched = timingSafeEqualString(presented, key) || matched;
  }
  return matched;
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return match?.[1];
}

/** Whether a request is under `/v1/`: by the matched route, or by its path when none matched. */
export function isApiRequest(request: FastifyRequest): boolean {
  return isApiPath(request.routeOptions.url ?? request.url.split('?', 1)[0] ?? '');
}

/** `/v1` and everything under it: the authenticated API. */
export function isApiPath(path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/');
}

/**
 * Requires `Authorization: Bearer <api key>`; a missing or wrong key is a 401
 * `unauthorized` with `WWW-Authenticate` (RFC 6750 §3).
 */
export function authenticate(request: FastifyRequest, apiKeys: readonly string[]): void {
  const token = bearerToken(request.headers.authorization);
  if (token === undefined) {
    throw new HttpError(401, 'unauthorized', 'Missing API key: send Authorization: Bearer <key>', {
      headers: { 'www-authenticate': REALM },
    });
  }
  if (!matchesApiKey(token, apiKeys)) {
    throw new HttpError(401, 'unauthorized', 'Invalid API key', {
      headers: { 'www-authenticate': `${REALM}, error="invalid_token"` },
    });
  }
}

/** {@link authenticate} as a route's `onRequest` hook (for routes outside `/v1/`). */
export function requireApiKey(apiKeys: readonly string[]): onRequestHookHandler {
  // A throw from a callback-style hook reaches the error handler like `done(error)`.
  return (request, _reply, done) => {
    authenticate(request, apiKeys);
    done();
  };
}

/**
 * The app-wide `onRequest` hook: every `/v1/*` request, known route or not, needs an API
 * key. It runs before the body is read, so an unauthenticated caller gets nothing parsed.
 */
export function apiKeyHook(apiKeys: readonly string[]): onRequestHookHandler {
  return (request, _reply, done) => {
    if (isApiRequest(request)) authenticate(request, apiKeys);
    done();
  };
}

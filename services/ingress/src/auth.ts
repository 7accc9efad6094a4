import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { ApiKey } from '@tokenlane/config';
import { timingSafeEqualString } from '@tokenlane/vault';
import { HttpError } from './errors.js';
import { routeScope } from './scopes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key that authenticated this request (`/v1/*` only). */
    apiKey?: ApiKey;
  }
}

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

/**
 * The configured key equal to `presented`, compared against every key whatever matched, like
 * {@link matchesApiKey}.
 */
export function findApiKey(presented: string, apiKeys: readonly ApiKey[]): ApiKey | undefined {
  let found: ApiKey | undefined;
  for (const candidate of apiKeys) {
    if (timingSafeEqualString(presented, candidate.key)) found ??= candidate;
  }
  return found;
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
 * `unauthorized` with `WWW-Authenticate` (RFC 6750 §3). Returns the key.
 */
export function authenticate(request: FastifyRequest, apiKeys: readonly ApiKey[]): ApiKey {
  const token = bearerToken(request.headers.authorization);
  if (token === undefined) {
    throw new HttpError(401, 'unauthorized', 'Missing API key: send Authorization: Bearer <key>', {
      headers: { 'www-authenticate': REALM },
    });
  }
  const key = findApiKey(token, apiKeys);
  if (key === undefined) {
    throw new HttpError(401, 'unauthorized', 'Invalid API key', {
      headers: { 'www-authenticate': `${REALM}, error="invalid_token"` },
    });
  }
  return key;
}

/**
 * A matched route the key has no scope for: 403 `insufficient_scope` naming the scope
 * (RFC 6750 §3.1). Unmatched paths go on to their 404.
 */
export function authorize(request: FastifyRequest, key: ApiKey): void {
  const route = request.routeOptions.url;
  if (route === undefined) return;
  const scope = routeScope(request.method, route);
  if (key.scopes.has(scope)) return;
  throw new HttpError(403, 'insufficient_scope', `This API key lacks the scope ${scope}`, {
    headers: { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"` },
  });
}

/**
 * The app-wide `onRequest` hook: every `/v1/*` request, known route or not, needs an API
 * key, and a matched route the scope it names. It runs before the body is read, so an
 * unauthenticated caller gets nothing parsed. The key's name (never the key) goes on every
 * later log line of the request.
 */
export function apiKeyHook(apiKeys: readonly ApiKey[]): onRequestHookHandler {
  return (request, reply, done) => {
    if (isApiRequest(request)) {
      const key = authenticate(request, apiKeys);
      request.apiKey = key;
      request.log = request.log.child({ key: key.name });
      reply.log = request.log;
      authorize(request, key);
    }
    done();
  };
}

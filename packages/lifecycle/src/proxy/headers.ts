import type { IncomingHttpHeaders } from 'node:http';
import { propagatedHeaders } from '@tokenlane/tracing';

/** RFC 9110 §7.6.1: meant for one connection, never passed on by an intermediary. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Ours, or the caller's own credentials and client identity: never the provider's business. */
function blockedRequestHeader(name: string): boolean {
  return (
    HOP_BY_HOP.has(name) ||
    name === 'authorization' ||
    name === 'cookie' ||
    name === 'host' ||
    name === 'content-length' ||
    name === 'forwarded' ||
    name === 'x-real-ip' ||
    name.startsWith('proxy-') ||
    name.startsWith('x-forwarded-') ||
    name.startsWith('tokenlane-') ||
    name === 'x-request-id'
  );
}

/** Header names a `Connection` header lists are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionListed(headers: IncomingHttpHeaders | Record<string, unknown>): Set<string> {
  const value = headers.connection;
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  return new Set(
    text
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * The caller's headers the provider may see: everything but hop-by-hop headers, the
 * caller's `authorization` and `cookie`, proxy and forwarding headers, and `tokenlane-*`
 * (our own controls). `host` and `content-length` are set by the client for the new request.
 */
export function forwardedRequestHeaders(
  headers: IncomingHttpHeaders,
): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  // Traced, the call carries tokenlane's own trace context (the caller's trace continued).
  const traced = propagatedHeaders();
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || blockedRequestHeader(lower) || listed.has(lower)) continue;
    if (traced.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

/**
 * The provider's headers the caller may see: everything but hop-by-hop headers and
 * `set-cookie` (a provider session is tokenlane's, not the caller's).
 */
export function returnedResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || listed.has(lower)) continue;
    if (lower === 'set-cookie' || lower === 'set-cookie2' || lower.startsWith('proxy-')) continue;
    out[lower] = value;
  }
  return out;
}

import type { Attributes } from '@opentelemetry/api';

/** Attributes whose value is a URL or a path that may carry a query string. */
const URL_KEYS = new Set([
  'url.full',
  'url.path',
  'url.original',
  'http.url',
  'http.target',
  'http.request.header.referer',
  'server.address.url',
]);

/** Attributes never kept: a query, a request's options or a job's return value. */
const DROPPED_KEYS = new Set([
  'url.query',
  'db.query.parameter',
  'bullmq.job.result',
  'bullmq.job.options',
  'bullmq.queue.options',
  'bullmq.worker.options',
]);

/** Where the query of a URL or path starts (`?`), or a fragment (`#`) when there is none. */
const QUERY_OR_FRAGMENT = /[?#]/;

/** The one-time id of `/connect/<id>`: whoever holds it can open the link, like a state. */
const CONNECT_ID = /\/connect\/[^/?#]+/;

/** A URL or path without its query and fragment (a callback's code and state live there). */
export function stripQuery(value: string): string {
  const at = value.search(QUERY_OR_FRAGMENT);
  return at === -1 ? value : value.slice(0, at);
}

/** A URL or path as a span may keep it: no query, no fragment, no `/connect/` id. */
export function redactUrl(value: string): string {
  return stripQuery(value).replace(CONNECT_ID, '/connect/:id');
}

/**
 * The value an attribute may keep, or undefined when it must go. Query strings hold the
 * callback's code and state and a proxied call's parameters; no attribute keeps one.
 */
export function redactAttribute(key: string, value: unknown): unknown {
  if (DROPPED_KEYS.has(key) || key.startsWith('db.query.parameter.')) return undefined;
  if (URL_KEYS.has(key) && typeof value === 'string') return redactUrl(value);
  return value;
}

/** The attributes with every value redacted (a new object; the input is left as it is). */
export function redactAttributes(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    const redacted = redactAttribute(key, value);
    if (redacted !== undefined) kept[key] = redacted;
  }
  return kept;
}

/**
 * Why a proxied path was refused: each names the rule, never the input (which the caller
 * chose and may be hostile).
 */
export type PathRefusal =
  | 'empty_path'
  | 'empty_segment'
  | 'dot_segment'
  | 'encoded_separator'
  | 'control_character'
  | 'absolute_url'
  | 'bad_encoding'
  | 'bad_character';

export type UpstreamUrl =
  { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly refusal: PathRefusal };

// RFC 3986 pchar without '%' (checked apart): what a raw segment may hold as it is.
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/;
// A query may also hold '/' and '?' (RFC 3986 §3.4), and '%' escapes.
const QUERY = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** C0 controls and DEL: CR/LF would split a request line, NUL ends strings in C servers. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Decoding more often than this is an attack, not a path. */
const MAX_DECODES = 4;

/**
 * Decodes a segment until it no longer changes, so `%252e%252e` is seen as the `..` some
 * server on the way would eventually make of it. Undefined: not valid UTF-8 percent-encoding
 * (which covers overlong forms such as `%c0%ae`).
 */
function fullyDecoded(segment: string): string | undefined {
  let value = segment;
  for (let round = 0; round < MAX_DECODES; round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(value);
    } catch {
      return undefined;
    }
    if (next === value) return value;
    value = next;
  }
  return value.includes('%') ? undefined : value;
}

function checkSegment(raw: string, first: boolean): PathRefusal | undefined {
  if (raw.includes('\\')) return 'encoded_separator';
  if (hasControl(raw)) return 'control_character';
  if (!PCHAR.test(raw.replaceAll(/%[0-9A-Fa-f]{2}/g, ''))) return 'bad_character';
  const decoded = fullyDecoded(raw);
  if (decoded === undefined) return 'bad_encoding';
  if (hasControl(decoded)) return 'control_character';
  if (decoded.includes('/') || decoded.includes('\\')) return 'encoded_separator';
  if (decoded === '.' || decoded === '..') return 'dot_segment';
  if (first && SCHEME.test(decoded)) return 'absolute_url';
  return undefined;
}

/**
 * The provider URL a proxied call goes to: `base` + the caller's path, built from checked
 * segments, and the query as it came. Refuses anything that could leave `base` once some
 * server on the way decodes or normalizes it: dot segments in any encoding, encoded slashes
 * and backslashes, `//host`, a scheme, control characters. The path is the raw text after
 * `/proxy/` (still percent-encoded, as it arrived); the query is the raw text after `?`.
 */
export function upstreamUrl(base: string, rawPath: string, rawQuery: string): UpstreamUrl {
  const refuse = (refusal: PathRefusal): UpstreamUrl => ({ ok: false, refusal });
  if (rawPath === '') return refuse('empty_path');
  const segments = rawPath.split('/');
  for (const [index, segment] of segments.entries()) {
    // One trailing slash is part of many APIs' paths; an empty segment anywhere else is `//`.
    if (segment === '') {
      if (index === segments.length - 1 && index > 0) continue;
      return refuse('empty_segment');
    }
    const refusal = checkSegment(segment, index === 0);
    if (refusal !== undefined) return refuse(refusal);
  }
  // The query goes on unchanged (values are the provider's business); only raw bytes no
  // request line may carry are refused.
  if (!QUERY.test(rawQuery)) return refuse('control_character');
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/+$/, '');
  url.pathname = `${basePath}/${segments.join('/')}`;
  url.search = rawQuery === '' ? '' : `?${rawQuery}`;
  // Belt and braces: whatever the URL parser made of it must still sit under the base.
  if (url.origin !== new URL(base).origin || !url.pathname.startsWith(`${basePath}/`)) {
    return refuse('dot_segment');
  }
  return { ok: true, url };
}

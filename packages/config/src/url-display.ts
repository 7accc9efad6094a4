const MAX_ECHO = 120;

/**
 * A URL as safe to log or dump: the password (and any query value named like a credential,
 * as libpq's `?password=`) replaced by `***`, the rest kept for debugging.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return echoUrl(raw);
  }
  if (url.password !== '') url.password = '***';
  for (const name of [...url.searchParams.keys()]) {
    if (/pass|secret|token|key|auth/i.test(name)) url.searchParams.set(name, '***');
  }
  return url.href;
}

/**
 * What an error message may show of a URL-ish value that may not even parse: no userinfo
 * (everything up to the last `@`, since passwords may hold unencoded `/`, `?` or `#`), no
 * query and no fragment.
 */
export function echoUrl(raw: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/)?/.exec(raw)?.[0] ?? '';
  let rest = raw.slice(scheme.length);
  rest = rest.slice(rest.lastIndexOf('@') + 1);
  const cut = rest.search(/[?#]/);
  return truncate(scheme + (cut < 0 ? rest : `${rest.slice(0, cut)}?…`));
}

/** Keeps echoed values to one readable line. */
export function truncate(value: string): string {
  const oneLine = value.replace(/[\r\n]+/g, ' ');
  return oneLine.length > MAX_ECHO ? `${oneLine.slice(0, MAX_ECHO)}…` : oneLine;
}

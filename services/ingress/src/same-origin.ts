import type { FastifyRequest } from 'fastify';

/** The host of an `Origin` header; `null` (an opaque origin) and garbage have none. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * A form post another site made the browser send: `Sec-Fetch-Site` says cross-site, or
 * `Origin` names another host. Browsers send `Origin` (and `Sec-Fetch-Site`) on every POST;
 * a request without either is not a browser following another site's form.
 */
export function isCrossSitePost(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const crossSite = site !== undefined && site !== 'same-origin' && site !== 'none';
  const foreign = origin !== undefined && hostOf(origin) !== request.host;
  return crossSite || foreign;
}

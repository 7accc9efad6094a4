import type { FastifyReply, FastifyRequest } from 'fastify';
import { toHttpError } from '../error-handler.js';
import { isCrossSitePost } from '../same-origin.js';
import { errorPage } from './error-page.js';
import type { SafeHtml } from './html.js';

/** Only what the console's own files need: no inline script or style, no other origin. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A console page, with the headers every page carries (CSP, no-store, no sniffing). */
export function sendPage(reply: FastifyReply, page: SafeHtml): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'same-origin')
    .header('x-content-type-options', 'nosniff')
    .send(page.text);
}

/**
 * Refuses a cross-site form post: basic-auth credentials are sent by the browser to any
 * page that posts here, so an action must come from the console's own pages. Browsers send
 * `Origin` (and `Sec-Fetch-Site`) on every POST; scripts without them are not browsers.
 */
export function sameOrigin(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!isCrossSitePost(request)) return true;
  void reply
    .code(403)
    .header('cache-control', 'no-store')
    .send({
      error: { code: 'unauthorized', message: 'Console actions must come from the console itself' },
    });
  return false;
}

/**
 * The console's error handler: the status comes from the app's one mapping (`toHttpError`),
 * the answer is a page in plain words rather than the API's JSON. Logged as the API logs it.
 */
export function consoleErrorHandler(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const mapped = toHttpError(error);
  if (mapped.status >= 500) {
    request.log.error({ err: error, errorCode: mapped.code }, 'console request failed');
  } else {
    request.log.info({ status: mapped.status, errorCode: mapped.code }, 'console request rejected');
  }
  return sendPage(reply.code(mapped.status).headers(mapped.headers), errorPage(mapped.status));
}

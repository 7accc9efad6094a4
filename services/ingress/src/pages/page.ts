import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { html, SafeHtml } from '../console/html.js';
import type { Language } from './words.js';

/** Small enough to inline: the page needs no other file, and the CSP allows it by hash. */
const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#1b1f24;background:#f6f7f9}' +
  'main{max-width:30rem;margin:0 auto;background:#fff;border-radius:12px;padding:1.5rem;box-shadow:0 1px 3px #0002}' +
  'h1{font-size:1.35rem;margin:0 0 1rem}p{line-height:1.5}.muted{color:#57606a;font-size:.9rem}' +
  'button{font:inherit;font-size:1.05rem;width:100%;padding:.8rem;border:0;border-radius:8px;background:#0b5fff;color:#fff;cursor:pointer}';

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
/** Built outside the template, so no formatting can add whitespace the hash does not cover. */
const STYLE_ELEMENT = new SafeHtml(`<style>${STYLE}</style>`);

/**
 * Strict: nothing loads, nothing runs; the only style is the inline block above; forms post
 * only here (no `form-action`, which some browsers also apply to the redirect after the
 * post, and that redirect goes to the provider); no framing.
 */
export const END_USER_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'`;

/** An end-user page: readable on a phone, no JavaScript, every value escaped. */
export function endUserPage(language: Language, title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="${language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;
}

/**
 * Sends an end-user page with its headers: strict CSP, never cached. Referrer `same-origin`,
 * not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with the page's own
 * form post, which would look cross-site; other origins still get no referrer.
 */
export function sendEndUserPage(reply: FastifyReply, status: number, page: SafeHtml): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', END_USER_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'same-origin')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .serializer((payload: unknown) => String(payload))
    .send(page.text);
}

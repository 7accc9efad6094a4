import { createHash } from 'node:crypto';
import type { Config } from '@tokenlane/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, SafeHtml } from '../console/html.js';
import { negotiateLanguage } from './language.js';
import { wordsFor, type Language, type Names, type Words } from './words/index.js';

/** Small enough to inline: the page needs no other file, and the CSP allows it by hash. */
const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#1b1f24;background:#f6f7f9}' +
  'main{max-width:30rem;margin:0 auto;background:#fff;border-radius:12px;padding:1.5rem;box-shadow:0 1px 3px #0002;overflow-wrap:anywhere}' +
  'header{display:flex;align-items:center;gap:.6rem;margin:0 0 1.25rem;font-weight:600;color:#3b4149}' +
  'header img{max-height:2rem;max-width:8rem}' +
  'h1{font-size:1.35rem;margin:0 0 1rem}p{line-height:1.5}.muted{color:#57606a;font-size:.9rem}' +
  'footer{margin-top:1.5rem;font-size:.9rem}a{color:#0b57d0}' +
  'button{font:inherit;font-size:1.05rem;width:100%;padding:.8rem;border:0;border-radius:8px;background:#0b57d0;color:#fff;cursor:pointer}';

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
/** Built outside the template, so no formatting can add whitespace the hash does not cover. */
const STYLE_ELEMENT = new SafeHtml(`<style>${STYLE}</style>`);

/** Who the pages speak for: `TOKENLANE_APP_NAME`, `…_APP_LOGO_URL`, `…_SUPPORT_URL`. */
export interface Brand {
  readonly appName: string;
  readonly logoUrl?: string | undefined;
  readonly supportUrl?: string | undefined;
}

export function brandOf(config: Config): Brand {
  return { appName: config.appName, logoUrl: config.appLogoUrl, supportUrl: config.supportUrl };
}

/**
 * Strict: nothing runs; the only style is the inline block above; images only from the
 * logo's own origin (an https URL the operator configured); forms post only here (no
 * `form-action`, which some browsers also apply to the redirect after the post, and that
 * redirect goes to the provider); no framing.
 */
export function endUserCsp(brand: Brand): string {
  const images = brand.logoUrl === undefined ? '' : `; img-src ${new URL(brand.logoUrl).origin}`;
  return `default-src 'none'; style-src 'sha256-${STYLE_HASH}'${images}; base-uri 'none'; frame-ancestors 'none'`;
}

/** What one request's page is rendered with: the brand, and the browser's language. */
export interface PageContext {
  readonly brand: Brand;
  readonly language: Language;
  readonly words: Words;
}

export function pageContext(request: FastifyRequest, brand: Brand): PageContext {
  const language = negotiateLanguage(request.headers['accept-language']);
  return { brand, language, words: wordsFor(language) };
}

/** An end-user page: the app's name (and logo), readable on a phone, no JavaScript, every value escaped. */
export function endUserPage(
  { brand, language, words }: PageContext,
  names: Names,
  title: string,
  body: SafeHtml,
): SafeHtml {
  const logo =
    brand.logoUrl === undefined
      ? ''
      : html`<img src="${brand.logoUrl}" alt="${words.logoAlt(names)}" />`;
  const support =
    brand.supportUrl === undefined
      ? ''
      : html`<footer><a href="${brand.supportUrl}">${words.help(names)}</a></footer>`;
  return html`<!doctype html>
    <html lang="${language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · ${brand.appName}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <main>
          <header>${logo}<span>${brand.appName}</span></header>
          ${body} ${support}
        </main>
      </body>
    </html>`;
}

/**
 * Sends an end-user page with its headers: strict CSP, never cached, in the language chosen
 * from `Accept-Language` (so caches must vary on it). Referrer `same-origin`, not
 * `no-referrer`: under `no-referrer` a browser sends `Origin: null` with the page's own form
 * post, which would look cross-site; other origins still get no referrer.
 */
export function sendEndUserPage(
  reply: FastifyReply,
  status: number,
  context: PageContext,
  page: SafeHtml,
): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', endUserCsp(context.brand))
    .header('content-language', context.language)
    .header('vary', 'Accept-Language')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'same-origin')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .serializer((payload: unknown) => String(payload))
    .send(page.text);
}

import { openLink, type BrowserNonce, type LifecycleContext } from '@tokenlane/lifecycle';
import type { FastifyInstance } from 'fastify';
import { completeInteraction } from '../peers/oidc-peer.js';
import type { Api } from './stack.js';

/** One answer of tokenlane to the browser. */
export interface BrowserAnswer {
  readonly status: number;
  readonly location: string | undefined;
  readonly setCookie: readonly string[];
  readonly body: string;
}
export type BrowserMethod = 'GET' | 'POST';
/** One request to tokenlane as a browser sends it: path and query, and its cookies. */
export type TokenlaneRequest = (
  pathAndQuery: string,
  cookie: string,
  method?: BrowserMethod,
) => Promise<BrowserAnswer>;

/** The headers a browser sends: its cookies, and on a form post its own page's origin. */
function browserHeaders(cookie: string, method: BrowserMethod): Record<string, string> {
  return {
    ...(cookie === '' ? {} : { cookie }),
    ...(method === 'POST'
      ? { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }
      : {}),
  };
}

/** Requests through `app.inject` (in-process tests). */
export function viaInject(app: FastifyInstance): TokenlaneRequest {
  return async (url, cookie, method = 'GET') => {
    const response = await app.inject({
      method,
      url,
      headers: browserHeaders(cookie, method),
      ...(method === 'POST' ? { payload: '' } : {}),
    });
    const raw = response.headers['set-cookie'];
    return {
      status: response.statusCode,
      location:
        typeof response.headers.location === 'string' ? response.headers.location : undefined,
      setCookie: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
      body: response.body,
    };
  };
}

/** Requests over HTTP to a listening tokenlane at `baseUrl` (process tests). */
export function viaHttp(baseUrl: string): TokenlaneRequest {
  return async (url, cookie, method = 'GET') => {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      redirect: 'manual',
      headers: browserHeaders(cookie, method),
      ...(method === 'POST' ? { body: '' } : {}),
    });
    return {
      status: response.status,
      location: response.headers.get('location') ?? undefined,
      setCookie: response.headers.getSetCookie(),
      body: await response.text(),
    };
  };
}

/**
 * A user's browser on the link flow: a cookie jar for tokenlane's origin. It opens
 * `linkWebUrl` (tokenlane's `/connect/<id>`: a page whose button posts back, and the post sets
 * the link cookie and redirects to the provider), consents at the provider (`completeInteraction`), and brings the provider's
 * redirect back to `/oauth/callback` with its cookies. A PIN or legacy link URL that points
 * at the provider directly is consented to as it is.
 */
export class LinkBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly request: TokenlaneRequest,
    /** tokenlane's PUBLIC_URL: URLs under it are opened through `get`. */
    private readonly publicUrl: string,
  ) {}

  /**
   * Opens `linkWebUrl` at tokenlane as a user does: loads the page, then presses its button
   * (a POST to the same URL). Returns the answer to the press (a redirect to the provider), or
   * the page when it has no button (a spent link).
   */
  async open(linkWebUrl: string): Promise<BrowserAnswer> {
    if (!linkWebUrl.startsWith(`${this.publicUrl}/`)) {
      return { status: 302, location: linkWebUrl, setCookie: [], body: '' };
    }
    const page = await this.load(linkWebUrl);
    if (page.status !== 200 || !page.body.includes('<form method="post">')) return page;
    return this.press(linkWebUrl);
  }

  /** GETs `linkWebUrl` only, as a link scanner or a page load does. */
  async load(linkWebUrl: string): Promise<BrowserAnswer> {
    return this.send(linkWebUrl, 'GET');
  }

  /** POSTs to `linkWebUrl`, as its page's button does. */
  async press(linkWebUrl: string): Promise<BrowserAnswer> {
    return this.send(linkWebUrl, 'POST');
  }

  private async send(url: string, method: BrowserMethod): Promise<BrowserAnswer> {
    const answer = await this.request(
      url.slice(this.publicUrl.length),
      this.cookieHeader(),
      method,
    );
    this.store(answer.setCookie);
    return answer;
  }

  /** Opens the link: the provider URL it redirects this browser to. */
  async toProvider(linkWebUrl: string): Promise<string> {
    const opened = await this.open(linkWebUrl);
    if (opened.location === undefined) {
      throw new Error(`opening the link answered ${String(opened.status)}: ${opened.body}`);
    }
    return opened.location;
  }

  /** Opens the link and consents at the provider as `login`: the redirect back to tokenlane. */
  async authorize(linkWebUrl: string, login?: string): Promise<URL> {
    const at = await this.toProvider(linkWebUrl);
    return completeInteraction(at, login === undefined ? {} : { login });
  }

  /** Brings the provider's redirect to tokenlane's callback, with this browser's cookies. */
  async callback(back: URL): Promise<BrowserAnswer> {
    const answer = await this.request(`${back.pathname}${back.search}`, this.cookieHeader());
    this.store(answer.setCookie);
    return answer;
  }

  /** The whole flow: open, consent, callback. */
  async link(linkWebUrl: string, login?: string): Promise<BrowserAnswer> {
    return this.callback(await this.authorize(linkWebUrl, login));
  }

  /** The `Cookie` header this browser sends to tokenlane. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private store(setCookie: readonly string[]): void {
    for (const line of setCookie) {
      const [pair = ''] = line.split(';', 1);
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/**
 * For tests that drive the lifecycle operations themselves (no HTTP): opens a link's
 * `/connect/<id>` with `openLink`, as the connect route does. Returns the provider URL and the
 * browser's nonce lookup for `acceptCallback`.
 */
export async function openLinkInProcess(
  ctx: LifecycleContext,
  linkWebUrl: string,
): Promise<{ authorizeUrl: string; browserNonce: BrowserNonce }> {
  const connectId = new URL(linkWebUrl).pathname.split('/connect/')[1];
  if (connectId === undefined) return { authorizeUrl: linkWebUrl, browserNonce: () => undefined };
  const opened = await openLink(ctx, connectId);
  return {
    authorizeUrl: opened.authorizeUrl,
    browserNonce: (linkId) => (linkId === opened.linkId ? opened.nonce : undefined),
  };
}

/**
 * A link through the API to a peer of ours that consents at once for `?user=` (the scripted
 * provider, the Garmin peer): creates it, opens it in a fresh browser, consents as `user`, and
 * brings the redirect to the callback. Returns where tokenlane sent the browser back.
 */
export async function linkAsUser(
  stack: { readonly url: string; api: Api },
  body: Record<string, unknown>,
  user: string,
): Promise<URL> {
  const created = await stack.api('POST', '/v1/links', body);
  if (created.status !== 201) throw new Error(`POST /v1/links answered ${created.status}`);
  const browser = new LinkBrowser(viaHttp(stack.url), stack.url);
  const authorize = new URL(
    await browser.toProvider((created.body as { linkWebUrl: string }).linkWebUrl),
  );
  authorize.searchParams.set('user', user);
  const consent = await fetch(authorize, { redirect: 'manual' });
  const callback = await browser.callback(new URL(consent.headers.get('location')!));
  if (callback.location === undefined) {
    throw new Error(`the callback answered ${callback.status}: ${callback.body.slice(0, 200)}`);
  }
  return new URL(callback.location);
}

/** The provider URL a `linkWebUrl` sends a fresh browser to (opening it uses the link up). */
export function providerUrlOf(
  stack: { readonly url: string },
  linkWebUrl: string,
): Promise<string> {
  return new LinkBrowser(viaHttp(stack.url), stack.url).toProvider(linkWebUrl);
}

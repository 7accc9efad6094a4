import { fetch, type Dispatcher, type RequestInit, type Response } from 'undici';

/** Options of one call through the proxy (docs/proxy.md). */
export interface ProxyRequestOptions {
  /** Query parameters, added to any already in `path`. */
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Request headers for the provider (`authorization`, `cookie`, `tokenlane-*` are not sent on). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body, for POST, PUT, PATCH (and DELETE where a provider takes one). */
  readonly body?: RequestInit['body'];
  /** `Tokenlane-Min-Validity`: seconds the token must stay valid (default 30). */
  readonly minValiditySeconds?: number;
  /** `Tokenlane-Timeout`: ms to wait for the provider (default 30000, at most 120000). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface ProxyTransport {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly dispatcher?: Dispatcher | undefined;
  readonly userAgent: string;
}

/**
 * Calls one connection's provider API through tokenlane. Each method resolves to the fetch
 * `Response` the provider gave (any status: a provider's 404 is data, not an error), with
 * `Tokenlane-Connection-Status` among its headers; tokenlane's own refusals (400, 409, 422,
 * 504 …) are Responses too, with the API's JSON error body. Redirects are never followed.
 */
export class ConnectionProxy {
  readonly #transport: ProxyTransport;
  readonly #connectionId: string;

  constructor(transport: ProxyTransport, connectionId: string) {
    this.#transport = transport;
    this.#connectionId = connectionId;
  }

  get(path: string, options: ProxyRequestOptions = {}): Promise<Response> {
    return this.request('GET', path, options);
  }

  head(path: string, options: ProxyRequestOptions = {}): Promise<Response> {
    return this.request('HEAD', path, options);
  }

  post(path: string, options: ProxyRequestOptions = {}): Promise<Response> {
    return this.request('POST', path, options);
  }

  put(path: string, options: ProxyRequestOptions = {}): Promise<Response> {
    return this.request('PUT', path, options);
  }

  patch(path: string, options: ProxyRequestOptions = {}): Promise<Response> {
    return this.request('PATCH', path, options);
  }

  delete(path: string, options: ProxyRequestOptions = {}): Promise<Response> {
    return this.request('DELETE', path, options);
  }

  /**
   * `path` is the provider's path below its `apiBaseUrl`, as the provider documents it (a
   * leading `/` is optional); it is sent as written, so percent-encode what a segment needs.
   */
  request(
    method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: ProxyRequestOptions = {},
  ): Promise<Response> {
    const url = new URL(
      `${this.#transport.baseUrl}/v1/connections/${encodeURIComponent(this.#connectionId)}/proxy/${path.replace(/^\/+/, '')}`,
    );
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.append(key, String(value));
    }
    const headers: Record<string, string> = {
      ...options.headers,
      authorization: `Bearer ${this.#transport.apiKey}`,
      'user-agent': this.#transport.userAgent,
    };
    if (options.minValiditySeconds !== undefined) {
      headers['tokenlane-min-validity'] = String(options.minValiditySeconds);
    }
    if (options.timeoutMs !== undefined) headers['tokenlane-timeout'] = String(options.timeoutMs);
    return fetch(url, {
      method,
      headers,
      redirect: 'manual',
      ...(options.body === undefined ? {} : { body: options.body, duplex: 'half' }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(this.#transport.dispatcher === undefined
        ? {}
        : { dispatcher: this.#transport.dispatcher }),
    });
  }
}

import { Readable } from 'node:stream';
import { errors, getGlobalDispatcher, type Dispatcher } from 'undici';
import { LifecycleError } from '../errors.js';
import type { ProxyBody } from './body.js';

/** One request to the provider, as the proxy sends it. */
export interface UpstreamRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string | string[]>;
  readonly body: ProxyBody;
  readonly timeoutMs: number;
  /** Aborted when the caller goes away. */
  readonly signal?: AbortSignal | undefined;
  readonly dispatcher?: Dispatcher | undefined;
}

export type UpstreamResponse = Dispatcher.ResponseData;

function bodyOf(body: ProxyBody): Buffer | Readable | null {
  switch (body.kind) {
    case 'none':
      return null;
    case 'buffered':
      return body.bytes;
    case 'stream':
      return Readable.from(body.chunks, { objectMode: false });
  }
}

/**
 * Sends one request and returns as soon as the provider's headers arrive; the body streams
 * from there. Redirects are never followed (undici's `request` follows none): a 3xx goes back
 * to the caller as it is. The timeout covers the wait for headers and any pause in the body.
 */
export async function sendUpstream(input: UpstreamRequest): Promise<UpstreamResponse> {
  const timer = new AbortController();
  const timeout = setTimeout(() => {
    timer.abort();
  }, input.timeoutMs);
  // The caller going away aborts the call, its body included, for as long as it streams. One
  // listener on the caller's own (per-request) signal: cheaper than AbortSignal.any per call.
  const { signal } = timer;
  if (input.signal?.aborted === true) timer.abort();
  else
    input.signal?.addEventListener(
      'abort',
      () => {
        timer.abort();
      },
      { once: true },
    );
  try {
    // The dispatcher's own `request`: undici's top-level one re-parses the URL and re-spreads
    // the options on every call (a quarter of a provider call's CPU, bench/ section 1).
    return await (input.dispatcher ?? getGlobalDispatcher()).request({
      origin: input.url.origin,
      path: `${input.url.pathname}${input.url.search}`,
      method: input.method,
      headers: input.headers,
      body: bodyOf(input.body),
      signal,
      headersTimeout: input.timeoutMs,
      bodyTimeout: input.timeoutMs,
    });
  } catch (error) {
    if (input.signal?.aborted === true) throw error;
    if (timer.signal.aborted || error instanceof errors.HeadersTimeoutError) {
      throw new LifecycleError('provider_timeout', 'the provider did not answer in time');
    }
    throw new LifecycleError('provider_unreachable', 'the provider could not be reached');
  } finally {
    clearTimeout(timeout);
  }
}

import { Agent, type Dispatcher } from 'undici';
import { ProviderError } from './errors.js';

export interface HttpAgentOptions {
  readonly connectTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
  readonly keepAliveTimeoutMs?: number;
}

/** A keep-alive undici Agent with connect, headers and body timeouts. */
export function createHttpAgent(options: HttpAgentOptions = {}): Agent {
  return new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 5_000 },
    headersTimeout: options.headersTimeoutMs ?? 15_000,
    bodyTimeout: options.bodyTimeoutMs ?? 15_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
  });
}

let shared: Dispatcher | undefined;

/** The dispatcher every provider call uses unless the call passes its own. */
export function getHttpDispatcher(): Dispatcher {
  shared ??= createHttpAgent();
  return shared;
}

/** Sets how long every provider call waits for its answer (TOKENLANE_PROVIDER_TIMEOUT_MS). */
export function useProviderTimeout(timeoutMs: number): void {
  setHttpDispatcher(createHttpAgent({ headersTimeoutMs: timeoutMs, bodyTimeoutMs: timeoutMs }));
}

/** Replaces the shared dispatcher (tests inject a MockAgent; the worker tunes its Agent). */
export function setHttpDispatcher(dispatcher: Dispatcher): void {
  shared = dispatcher;
}

/** Options every network-facing function of this package accepts. */
export interface CallOptions {
  readonly dispatcher?: Dispatcher;
  readonly retry?: Partial<RetryPolicy> | false;
  readonly signal?: AbortSignal;
  /** The provider this call is for, named in error messages. */
  readonly providerId?: string;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
  /** Wait for a provider's Retry-After up to this; longer, give up and let the queue back off. */
  readonly maxRetryAfterMs: number;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

const CONNECT_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
// `timeout` means sent and unanswered in time (the provider may have acted on it); a connect
// timeout never reached the provider, so it is a `network` failure like a refused connect.
const TIMEOUT_ERROR_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

const notSent = new WeakSet<ProviderError>();

/** True when the request failed before any byte reached the provider (safe to re-send). */
export function failedBeforeSending(error: unknown): boolean {
  return error instanceof ProviderError && notSent.has(error);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Turns an undici/socket failure into `timeout` or `network`; the cause carries no body. */
export function transportError(error: unknown, request: HttpRequest, providerId?: string) {
  if (error instanceof ProviderError) return error;
  const code = errorCode(error);
  const what = `${request.method} ${new URL(request.url).origin}`;
  const options = { cause: error, ...(providerId === undefined ? {} : { providerId }) };
  const result =
    code !== undefined && TIMEOUT_ERROR_CODES.has(code)
      ? new ProviderError('timeout', `${what} timed out (${code})`, options)
      : new ProviderError('network', `${what} failed (${code ?? 'network error'})`, options);
  if (code !== undefined && CONNECT_ERROR_CODES.has(code)) notSent.add(result);
  return result;
}

/** Sends one request and reads the whole (size-capped) body; transport failures throw. */
export async function send(request_: HttpRequest, options: CallOptions = {}) {
  try {
    const { origin, path } = dispatchTarget(request_.url);
    // The dispatcher's own `request`, with its options built here: undici's top-level
    // `request(url, …)` re-parses and re-spreads them on every call, which cost about a
    // quarter of each call's CPU in our client (bench/, section 1).
    const response = await (options.dispatcher ?? getHttpDispatcher()).request({
      origin,
      path,
      method: request_.method,
      headers: { 'user-agent': 'tokenlane', ...request_.headers },
      body: request_.body ?? null,
      signal: options.signal ?? null,
    });
    const text = await readCapped(
      response.body,
      () =>
        new ProviderError('invalid_response', 'provider answer exceeds 1 MiB', {
          status: response.statusCode,
          ...(options.providerId === undefined ? {} : { providerId: options.providerId }),
        }),
    );
    return { status: response.statusCode, headers: response.headers, text } satisfies HttpResponse;
  } catch (error) {
    throw transportError(error, request_, options.providerId);
  }
}

/** A URL as undici's dispatchers take it: its origin, and its path with the query. */
interface DispatchTarget {
  readonly origin: string;
  readonly path: string;
}

// Provider calls go to a handful of URLs (token, revocation, identity endpoints), each parsed
// once; bounded, since proxied calls and tests may name many more.
const targets = new Map<string, DispatchTarget>();
const MAX_TARGETS = 256;

function dispatchTarget(url: string): DispatchTarget {
  let target = targets.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new TypeError(`not an http(s) URL: ${parsed.protocol}`);
    }
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (targets.size === MAX_TARGETS) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/**
 * The body as UTF-8 text, destroyed and refused past {@link MAX_BODY_BYTES}. Listeners rather
 * than `for await`: an async iterator costs a promise per chunk, and every refresh reads one
 * answer (bench/, section 1).
 */
function readCapped(body: Dispatcher.ResponseData['body'], tooLarge: () => Error) {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        body.destroy();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    body.on('error', reject);
    body.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The value of one response header, first occurrence. */
export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

import { request, type Dispatcher } from 'undici';
import { parseApiError, TokenlaneApiError } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** One API call, before it is sent. */
export interface ApiRequest {
  readonly method: HttpMethod;
  /** Path and query, starting with `/`. */
  readonly path: string;
  readonly body?: unknown;
}

/** A raw answer: status, headers, body text. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

export interface TransportOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly dispatcher?: Dispatcher | undefined;
  readonly timeoutMs: number;
  readonly userAgent: string;
}

/** Sends one request with the API key; any status comes back as data, never thrown. */
export async function sendApiRequest(
  options: TransportOptions,
  apiRequest: ApiRequest,
): Promise<ApiResponse> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.apiKey}`,
    accept: 'application/json',
    'user-agent': options.userAgent,
  };
  let body: string | null = null;
  if (apiRequest.body !== undefined) {
    body = JSON.stringify(apiRequest.body);
    headers['content-type'] = 'application/json';
  }
  const response = await request(`${options.baseUrl}${apiRequest.path}`, {
    method: apiRequest.method,
    headers,
    body,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

/**
 * Interprets an answer: a 2xx body as parsed JSON (undefined when empty), anything else
 * as a TokenlaneApiError. The body is not validated: the types describe the API contract.
 */
export function processApiResponse(response: ApiResponse): unknown {
  if (response.status < 200 || response.status >= 300) {
    throw parseApiError(response.status, response.headers, response.text);
  }
  if (response.text === '') return undefined;
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    throw new TokenlaneApiError(
      response.status,
      'invalid_response',
      'tokenlane answered with a body that is not JSON',
    );
  }
}

/** `?a=1&b=2` from the defined entries, or '' when there are none. */
export function queryString(query: Readonly<Record<string, string | number | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

import { MockAgent } from 'undici';
import { afterEach } from 'vitest';
import type { CallOptions } from '../http.js';

/** Token-like values the tests use; no error may ever contain one. */
export const SECRETS = {
  clientSecret: 'client-secret-7f3a9c1e',
  code: 'auth-code-51d2e8b4',
  accessToken: 'access-token-9b8c7d6e5f',
  refreshToken: 'refresh-token-1a2b3c4d5e',
  newRefreshToken: 'refresh-token-rotated-6f7e8d',
  pin: 'PIN-8812',
} as const;

export function containsSecret(text: string): boolean {
  return Object.values(SECRETS).some((value) => text.includes(value));
}

/** A MockAgent that refuses real connections, and call options that retry fast. */
export function mockHttp() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const options: CallOptions = {
    dispatcher: agent,
    retry: { minTimeoutMs: 1, maxTimeoutMs: 5, maxRetryAfterMs: 50 },
  };
  return { agent, options };
}

/**
 * A {@link mockHttp} for each test of the file: after every test, each interceptor must have
 * been used; the agent is then closed and a fresh one takes its place (read `agent` and
 * `options` inside the tests, not once at load).
 */
export function mockHttpPerTest(): ReturnType<typeof mockHttp> {
  let http = mockHttp();
  afterEach(async () => {
    http.agent.assertNoPendingInterceptors();
    await http.agent.close();
    http = mockHttp();
  });
  return {
    get agent() {
      return http.agent;
    },
    get options() {
      return http.options;
    },
  };
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A reply callback that records the request it answers. */
export function recordInto(
  requests: RecordedRequest[],
  statusCode: number,
  data: object | string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return (request: {
    method: string;
    path: string;
    headers?: Headers | Record<string, string>;
    body?: unknown;
  }) => {
    const raw = request.headers ?? {};
    const entries: [string, string][] =
      raw instanceof Headers ? [...raw.entries()] : Object.entries(raw);
    requests.push({
      method: request.method,
      path: request.path,
      headers: Object.fromEntries(entries.map(([key, value]) => [key.toLowerCase(), value])),
      body: typeof request.body === 'string' ? request.body : '',
    });
    return {
      statusCode,
      data: typeof data === 'string' ? data : JSON.stringify(data),
      responseOptions: { headers },
    };
  };
}

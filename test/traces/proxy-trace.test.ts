import type { ConnectionId } from '@tokenlane/core';
import { openTokens } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { PROXY_KEY, startProxyStack, type ProxyStack } from '../proxy/support.js';
import { CLIENT, SERVER, ancestorsOf, leaks, traceWhen } from './spans.js';

let receiver: OtlpReceiver;
let ps: ProxyStack;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  ps = await startProxyStack({
    clientId: 'proxy-traces',
    env: receiver.exporterEnv,
  });
}, 90_000);

afterAll(async () => {
  await ps.close();
  await receiver.close();
});

/** A caller's own trace, which the proxied call joins. */
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('a proxied call is one trace', () => {
  it('joins the caller trace: the request, then the call to the provider API, no query kept', async () => {
    const id: ConnectionId = await ps.oidc.link('traced-proxy');
    const query = 'start=2026-01-01&cursor=opaque-cursor-4f1c9a';
    const answer = await ps.oidc.stack.api(
      'GET',
      `/v1/connections/${id}/proxy/echo/sleep?${query}`,
      undefined,
      {
        authorization: `Bearer ${PROXY_KEY}`,
        traceparent: `00-${CALLER_TRACE}-b7ad6b7169203331-01`,
      },
    );
    expect(answer.status).toBe(200);

    const trace = await traceWhen(
      receiver,
      () => CALLER_TRACE,
      (spans) =>
        spans.some((span) => span.kind === SERVER) &&
        spans.some(
          (span) => span.kind === CLIENT && span.attributes['url.path'] === '/api/echo/sleep',
        ),
    );
    const request = trace.find((span) => span.kind === SERVER)!;
    const upstream = trace.find(
      (span) => span.kind === CLIENT && span.attributes['url.path'] === '/api/echo/sleep',
    )!;
    expect(request.name).toBe('GET /v1/connections/:id/proxy/*');
    expect(ancestorsOf(upstream, trace)).toContain(request);
    expect(upstream.attributes['url.full']).toBe(`${ps.api.apiBaseUrl}/echo/sleep`);
    expect(upstream.attributes['http.response.status_code']).toBe(200);
    // The provider gets one traceparent: the caller's trace, continued by tokenlane's call.
    expect(ps.api.requests().map((seen) => seen.headers.traceparent)).toEqual([
      `00-${CALLER_TRACE}-${upstream.spanId}-01`,
    ]);

    const row = await ps.oidc.row(id);
    const tokens = openTokens(ps.oidc.stack.keyRing, row);
    const secrets = [
      tokens.accessToken!.reveal(),
      tokens.refreshToken!.reveal(),
      'opaque-cursor-4f1c9a',
      PROXY_KEY,
    ];
    expect(leaks(receiver.spans, secrets)).toEqual([]);
  });
});

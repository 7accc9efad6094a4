import type { ConnectionId } from '@tokenlane/core';
import { findConnection } from '@tokenlane/db';
import { openTokens } from '@tokenlane/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInteraction, type OidcPeer } from '../peers/oidc-peer.js';
import { LinkBrowser, viaHttp } from '../support/link-browser.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../support/otlp-receiver.js';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';
import { RETURN_URL, type Stack } from '../support/stack.js';
import {
  CLIENT,
  CONSUMER,
  PRODUCER,
  SERVER,
  ancestorsOf,
  has,
  isQueue,
  leaks,
  statementOf,
  traceWhen,
} from './spans.js';

let receiver: OtlpReceiver;
let oidc: OidcStack;
let peer: OidcPeer;
let stack: Stack;
/** Every secret and query value the link below saw: none may reach a span. */
const secrets = new Set<string>();

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  oidc = await startOidcStack({
    clientId: 'tokenlane-traces',
    env: { ...receiver.exporterEnv, TOKENLANE_SWEEP_INTERVAL_MS: '500' },
  });
  ({ peer, stack } = oidc);
  secrets.add(oidc.clientSecret);
}, 90_000);

afterAll(async () => {
  await oidc.close();
  await receiver.close();
});

/** The connection's tokens join the secrets (a refresh replaces them: called after each). */
async function rememberTokens(connectionId: ConnectionId): Promise<void> {
  const row = (await findConnection(stack.db.db, connectionId))!;
  const tokens = openTokens(stack.keyRing, row);
  secrets.add(tokens.accessToken!.reveal());
  secrets.add(tokens.refreshToken!.reveal());
}

/** The provider's token endpoint as the undici client span records it. */
const isTokenCall = (span: ReceivedSpan) =>
  span.attributes['url.full'] === peer.tokenUrl &&
  span.attributes['http.request.method'] === 'POST';

describe('traces (OTLP http/json to a local receiver)', () => {
  let connectionId: ConnectionId;

  it('follows a link as one trace: POST /v1/links, callback, exchange job, token call', async () => {
    const created = await stack.api('POST', '/v1/links', {
      userId: 'user-traced',
      provider: 'acme',
      returnUrl: RETURN_URL,
    });
    expect(created.status).toBe(201);
    const link = created.body as { linkId: string; linkWebUrl: string };
    const browser = new LinkBrowser(viaHttp(stack.url), stack.url);
    // The one-time id of /connect/<id> opens the link: as secret as the state.
    secrets.add(new URL(link.linkWebUrl).pathname.split('/').pop()!);
    const authorizeUrl = new URL(await browser.toProvider(link.linkWebUrl));
    secrets.add(authorizeUrl.searchParams.get('state')!);
    secrets.add(authorizeUrl.searchParams.get('code_challenge')!);
    const back = await completeInteraction(authorizeUrl.href);
    secrets.add(back.searchParams.get('code')!);
    const answer = await fetch(`${stack.url}/oauth/callback${back.search}`, {
      redirect: 'manual',
      headers: { cookie: browser.cookieHeader() },
    });
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location')!);
    expect(location.searchParams.get('status')).toBe('success');
    connectionId = location.searchParams.get('connectionId') as ConnectionId;
    await rememberTokens(connectionId);

    const linkRequest = () =>
      receiver.spans.find(
        (span) =>
          span.kind === SERVER &&
          span.attributes['http.route'] === '/v1/links' &&
          span.attributes['http.request.method'] === 'POST',
      )?.traceId;
    const trace = await traceWhen(
      receiver,
      linkRequest,
      (spans) =>
        spans.some((span) => span.name === 'link callback') &&
        has(spans, PRODUCER, isQueue('exchange')) &&
        has(spans, CONSUMER, isQueue('exchange')) &&
        has(spans, CLIENT, isTokenCall),
    );
    // The callback's work continues the POST's trace (its parent: a span of that request),
    // and the exchange job is enqueued inside it.
    const callbackWork = trace.find((span) => span.name === 'link callback')!;
    const request = trace.find((span) => span.kind === SERVER)!;
    expect(request.name).toBe('POST /v1/links');
    expect(ancestorsOf(callbackWork, trace)).toContain(request);
    // The exchange runs in the worker process, the rest in the ingress: one trace across both.
    const producer = trace.find((span) => span.kind === PRODUCER && isQueue('exchange')(span))!;
    const consumer = trace.find((span) => span.kind === CONSUMER && isQueue('exchange')(span))!;
    const tokenCall = trace.find((span) => span.kind === CLIENT && isTokenCall(span))!;
    expect(ancestorsOf(producer, trace)).toContain(callbackWork);
    expect(ancestorsOf(tokenCall, trace)).toContain(consumer);
    expect(producer.service).toBe('tokenlane-ingress');
    expect(consumer.service).toBe('tokenlane-worker');
    expect(tokenCall.service).toBe('tokenlane-worker');
    expect(consumer.attributes['messaging.operation.type']).toBe('process');
    expect(producer.attributes['messaging.operation.type']).toBe('send');
    expect(consumer.attributes['messaging.message.id']).toBe(`exchange-${link.linkId}`);
    expect(tokenCall.attributes['http.response.status_code']).toBe(200);
    expect(tokenCall.attributes['server.address']).toBe('127.0.0.1');
  });

  it("records the callback request itself without its query, linked from the link's trace", async () => {
    const callback = await traceWhen(
      receiver,
      () =>
        receiver.spans.find((span) => span.attributes['http.route'] === '/oauth/callback')?.traceId,
      (spans) => spans.some((span) => span.kind === SERVER),
    );
    const request = callback.find((span) => span.kind === SERVER)!;
    const work = receiver.spans.find((span) => span.name === 'link callback')!;
    expect(work.traceId).not.toBe(request.traceId);
    expect(work.links.map((link) => link.traceId)).toEqual([request.traceId]);
    expect(request.name).toBe('GET /oauth/callback');
    expect(request.attributes['url.path']).toBe('/oauth/callback');
    expect(request.attributes['url.query']).toBeUndefined();
    expect(request.attributes['http.response.status_code']).toBe(302);
  });

  it('records database statements with placeholders, never their values', () => {
    const pg = receiver.spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
    const insert = pg
      .map(statementOf)
      .find((text) => text.startsWith('insert into "link_sessions"'));
    expect(insert).toMatch(/values \(\$1, \$2/);
    // The link's user id was a parameter of that insert: neither inlined nor recorded.
    expect(
      pg.flatMap((span) => span.values).filter((value) => value.includes('user-traced')),
    ).toEqual([]);
    expect(pg.flatMap((span) => Object.keys(span.attributes))).not.toContainEqual(
      expect.stringMatching(/^db\.query\.parameter/),
    );
  });

  it('follows a forced refresh as one trace down to the token call', async () => {
    const before = new Set(receiver.spans.map((span) => span.traceId));
    const refreshed = await stack.api('POST', `/v1/connections/${connectionId}/refresh`);
    expect(refreshed.status).toBe(202);
    const request = () =>
      receiver.spans.find(
        (span) =>
          !before.has(span.traceId) &&
          span.kind === SERVER &&
          span.attributes['http.route'] === '/v1/connections/:id/refresh',
      )?.traceId;
    const trace = await traceWhen(
      receiver,
      request,
      (spans) => has(spans, CONSUMER, isQueue('refresh')) && has(spans, CLIENT, isTokenCall),
    );
    // The refresh's write, in the worker, in the same trace as the request that asked for it.
    const writes = trace.filter((span) => /update\s+"?connections"?/i.test(statementOf(span)));
    expect(writes.map((span) => span.service)).toContain('tokenlane-worker');
  });

  it('makes a batch of refreshes the sweeper starts a trace of its own, rooted at its consumer span', async () => {
    const before = new Set(receiver.spans.map((span) => span.traceId));
    await stack.db.db
      .updateTable('connections')
      .set({ refresh_due_at: new Date(Date.now() - 1_000) })
      .where('id', '=', connectionId)
      .execute();
    const consumer = () =>
      receiver.spans.find(
        (span) =>
          !before.has(span.traceId) && span.kind === CONSUMER && isQueue('refresh-batch')(span),
      );
    const trace = await traceWhen(
      receiver,
      () => consumer()?.traceId,
      (spans) =>
        has(spans, CLIENT, isTokenCall) &&
        spans.some((span) => /update\s+"?connections"?/i.test(statementOf(span))),
    );
    expect(consumer()!.parentSpanId).toBe('');
    // The sweep that enqueued it is elsewhere: no sweep span shares the refresh's trace.
    expect(trace.filter((span) => isQueue('sweep')(span))).toEqual([]);
    await rememberTokens(connectionId);
  });

  it('puts no token, code, state, secret or query value in any span', async () => {
    await rememberTokens(connectionId);
    expect(receiver.spans.length).toBeGreaterThan(20);
    expect(leaks(receiver.spans, secrets)).toEqual([]);
  });
});

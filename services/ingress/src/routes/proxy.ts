import { namedConnectionId } from '@tokenlane/core';
import {
  MAX_PROXY_RETRIES as MAX_RETRIES,
  proxyCall,
  returnedResponseHeaders,
} from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authedErrorResponses, HttpError } from '../errors.js';

export const PROXY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const PROXY_ROUTE = '/v1/connections/:id/proxy/*';

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMEOUT_MS = 120_000;
const DEFAULT_MIN_VALIDITY_S = 30;

/** The raw (still encoded) path after `/proxy/`, and the raw query. */
function rawTarget(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
  const query = at === -1 ? '' : url.slice(at + 1);
  const match = /^\/v1\/connections\/[^/]+\/proxy\/(.*)$/s.exec(path);
  return { path: match?.[1] ?? '', query };
}

/**
 * The path as logged: segments kept (ids in paths are the provider's, not secrets), query
 * values dropped (they may be anything: dates, names, a Garmin pull token).
 */
function loggablePath(path: string, query: string): string {
  if (query === '') return `/${path}`;
  const names = query.split('&').map((pair) => pair.split('=', 1)[0] ?? '');
  return `/${path}?${names.map((name) => `${name}=`).join('&')}`;
}

/** A `Tokenlane-*` control header as a whole number within bounds, or the default. */
function intHeader(
  request: FastifyRequest,
  name: string,
  fallback: number,
  max: number,
  min: number,
): number {
  const value = request.headers[name];
  if (value === undefined) return fallback;
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new HttpError(
      400,
      'invalid_request',
      `${name} must be a whole number from ${String(min)} to ${String(max)}`,
    );
  }
  return Number(text);
}

function textHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Calls through tokenlane (docs/proxy.md): `/v1/connections/:id/proxy/<path>` forwards to the
 * connection's provider API with its credentials, streaming both bodies, and hands back the
 * provider's status, headers and body. The scope is `proxy`: such a key never reads a token.
 */
export const proxyRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  // Bodies stream to the provider untouched, whatever their type (this plugin only).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, parsed) => {
    parsed(null, payload);
  });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = request.params as { id: string };
    const { path, query } = rawTarget(request.raw.url ?? '');
    const started = performance.now();
    let provider = 'unknown';
    const done = (status: number | 'error', attempts: number) => {
      const seconds = (performance.now() - started) / 1000;
      const statusClass = status === 'error' ? 'error' : `${String(status).charAt(0)}xx`;
      runtime.metrics.proxyRequests.inc({
        provider,
        status_class: statusClass,
        key: request.apiKey?.name ?? 'none',
      });
      if (status !== 'error') runtime.metrics.proxyDuration.observe({ provider }, seconds);
      // One line per call: the key's name is on request.log; never a token, never query values.
      request.log.info(
        {
          provider,
          path: loggablePath(path, query),
          status,
          attempts,
          durationMs: Math.round(seconds * 1000),
        },
        'proxied call',
      );
    };
    const closed = new AbortController();
    // The caller went away: stop the provider call (and its streaming) too.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) closed.abort();
    });
    const answer = await proxyCall(runtime, {
      connectionId: namedConnectionId(id),
      method: request.method,
      rawPath: path,
      rawQuery: query,
      headers: request.headers,
      body: request.body as AsyncIterable<unknown> | undefined,
      baseUrl: textHeader(request, 'tokenlane-base-url'),
      minValiditySeconds: intHeader(
        request,
        'tokenlane-min-validity',
        DEFAULT_MIN_VALIDITY_S,
        86_400,
        0,
      ),
      timeoutMs: intHeader(request, 'tokenlane-timeout', DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, 1),
      retries: intHeader(request, 'tokenlane-retries', 0, MAX_RETRIES, 0),
      mayRelink: request.apiKey?.scopes.has('connections:write') === true,
      signal: closed.signal,
      onConnection: (seen) => {
        provider = seen.provider;
        void reply.header('tokenlane-connection-status', seen.status);
      },
    }).catch((error: unknown) => {
      done('error', 0);
      throw error;
    });
    done(answer.response.statusCode, answer.attempts);
    const { response } = answer;
    void reply
      .code(response.statusCode)
      .headers(returnedResponseHeaders(response.headers))
      .header('tokenlane-connection-status', answer.connectionStatus);
    if (request.method === 'HEAD') {
      await response.body.dump();
      return reply.send();
    }
    return reply.send(response.body);
  };

  for (const method of PROXY_METHODS) {
    app.route({
      method,
      url: PROXY_ROUTE,
      // HEAD is a route of its own: it must not send the body fastify's HEAD-from-GET would.
      exposeHeadRoute: false,
      schema: {
        summary: `${method} the provider's API for this connection, through tokenlane`,
        tags: ['proxy'],
        params: z.object({ id: z.string().max(64), '*': z.string() }),
        response: authedErrorResponses(404, 409, 413, 422, 502, 504),
      },
      handler,
    });
  }
  done();
};

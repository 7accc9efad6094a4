import { BODY_LIMIT_BYTES } from '@tokenlane/ingress';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_KEY,
  errorCodeOf,
  openHostileWorld,
  signNotice,
  stateCounts,
  type HostileWorld,
} from './support.js';

/**
 * Fuzz over every public route (read from `GET /openapi.json`, so a new route is covered
 * without touching this file) and the webhook intake: random and malformed JSON, bodies over
 * the limit, wrong types and media types, unicode, CRLF in headers, traversal in ids.
 * Properties: never a 5xx; every rejection is `{error:{code,message}}` with a code from
 * ERROR_CODES; the same input gets the same answer; rejected requests change no row and no
 * Redis key. Reproduce a failure with FUZZ_SEED=<seed printed by fast-check>.
 */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 0x70c1a9e);

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof HTTP_METHODS)[number];

interface Operation {
  readonly method: Method;
  /** OpenAPI path template, `/v1/connections/{id}`. */
  readonly path: string;
  readonly params: readonly string[];
}

let world: HostileWorld;
let operations: Operation[];
/** A real pending link session: ids that exist reach further into the handlers. */
let realLinkId: string;

beforeAll(async () => {
  world = await openHostileWorld();
  const document = await world.app.inject({ method: 'GET', url: '/openapi.json' });
  const paths = (JSON.parse(document.body) as { paths: Record<string, Record<string, unknown>> })
    .paths;
  operations = Object.entries(paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((method): method is Method => (HTTP_METHODS as readonly string[]).includes(method))
      .map((method) => ({
        method,
        path,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''),
      })),
  );
  const link = await world.app.inject({
    method: 'POST',
    url: '/v1/links',
    headers: { authorization: `Bearer ${API_KEY}` },
    payload: { userId: 'fuzz-owner', provider: 'acme' },
  });
  expect(link.statusCode).toBe(201);
  realLinkId = (JSON.parse(link.body) as { linkId: string }).linkId;
  // The first metrics and readiness reads create BullMQ's queue meta keys: warm them up so
  // the Redis key count below only moves if a fuzzed request writes something.
  for (const url of ['/metrics', '/readyz', '/healthz'])
    await world.app.inject({ method: 'GET', url });
}, 60_000);

afterAll(async () => {
  await world.close();
});

const TRAVERSAL = [
  '../',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e',
  '%2e%2e%2f%2e%2e%2f',
  '..\\..\\windows',
  '....//....//',
  '%252e%252e%252f',
  '%00',
  '%c0%ae%c0%ae%2f',
  '.',
  '..',
  'acme%2f..%2fbeta',
  'x'.repeat(300),
  'y'.repeat(5000),
  '8d1f4b0e-5e1a-4c3b-9a2f-0d6e7c8b9a10',
  'acme',
  'beta',
  'fitbit',
  'garmin',
  '__proto__',
  'constructor',
];

/** A path segment: raw traversal tricks, or any string percent-encoded. */
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRAVERSAL) },
  { weight: 1, arbitrary: fc.uuid().map(String) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constant('<link>') },
);

const queryValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('-1', '0', '1e309', 'NaN', '99999999999999999999', 'true', '[]', '{}', ''),
  fc.constantFrom('a'.repeat(5000), '%00', '../../', "' OR 1=1 --", '$where'),
);
const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'after',
      'limit',
      'userId',
      'provider',
      'status',
      'minValidity',
      'state',
      'code',
      'error',
      'iss',
      'oauth_token',
      'oauth_verifier',
      'token',
      '__proto__',
      'hub.challenge',
    ),
    fc.string({ maxLength: 10 }),
  ),
  queryValue,
  { maxKeys: 4 },
);

const HUGE_JSON = JSON.stringify({ userId: 'u'.repeat(BODY_LIMIT_BYTES), provider: 'acme' });
const HUGER_JSON = JSON.stringify({ type: 'auth_revoked', pad: 'p'.repeat(300 * 1024) });

/** One defect each, so no generated body is a valid request that may change state. */
const poison = fc.constantFrom<Record<string, unknown>>(
  { returnUrl: 'https://evil.example/' },
  { provider: 'fitbit' },
  { provider: 'no-such-provider' },
  { userId: '' },
  { userId: 42 },
  { extra: true },
  { scopes: 'openid' },
  { connectionId: 'not-a-uuid' },
  { pin: '' },
);
const nearValid = fc
  .record(
    {
      userId: fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.integer(),
        fc.constant(null),
      ),
      provider: fc.constantFrom('acme', 'beta', '../acme', 'ACME', 'acme\u0000'),
      returnUrl: fc.constantFrom('http://127.0.0.1:9/app/x', 'javascript:alert(1)', '//evil'),
      scopes: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
      pin: fc.string({ maxLength: 8 }),
      type: fc.constantFrom('auth_revoked', 'deregistration', 'x'),
      providerUserId: fc.string({ maxLength: 12 }),
    },
    { requiredKeys: [] },
  )
  .chain((base) => poison.map((defect) => ({ ...base, ...defect })));

const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  { weight: 3, arbitrary: nearValid.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '{"userId":',
      '{',
      'null',
      '[]',
      '""',
      '{"__proto__":{"isAdmin":true},"userId":"u","provider":"acme"}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '['.repeat(5000),
      '{"a":1,"a":2}',
      '\uFEFF{}',
      '{"userId":"\uD800","provider":"acme","extra":1}',
      HUGE_JSON,
      HUGER_JSON,
    ),
  },
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-7',
  'application/json\r\nX-Injected: 1',
  undefined,
);

const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constant(`Bearer ${API_KEY}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'Bearer',
      `bearer ${API_KEY}`,
      `Bearer ${API_KEY}x`,
      `Bearer ${API_KEY.slice(0, -1)}`,
      `Basic ${Buffer.from(`admin:${API_KEY}`).toString('base64')}`,
      `Bearer ${API_KEY}\r\nX-Injected: 1`,
      `Bearer ${API_KEY}, Bearer other`,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => `Bearer ${s}`),
  },
);

const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'x-forwarded-for',
    'x-forwarded-host',
    'x-request-id',
    'x-tokenlane-signature',
    'x-tokenlane-timestamp',
    'x-fitbit-signature',
    'x-injected-probe',
    'accept',
    'cookie',
  ),
  fc.oneof(
    fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
    fc.constantFrom(
      'a\r\nX-Injected: 1',
      'sha256=' + '0'.repeat(64),
      'sha256=zz',
      '1',
      '0',
      '9999999999999',
      'v1=abc\r\n\r\n<html>',
    ),
  ),
  { maxKeys: 3 },
);

/** For the intake: sign the body with acme's real secret, so the payload parser is reached. */
const signing = fc.constantFrom('none', 'valid', 'valid-stale', 'valid-future', 'valid-garbage-ts');

const requestArb = fc.record({
  segments: fc.array(segment, { minLength: 2, maxLength: 2 }),
  query,
  body,
  contentType,
  authorization,
  extraHeaders,
  signing,
  otherMethod: fc.option(fc.constantFrom<Method>(...HTTP_METHODS), { freq: 8 }),
});
type Generated = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function toInject(operation: Operation, input: Generated): InjectOptions {
  let path = operation.path;
  operation.params.forEach((name, index) => {
    const value = input.segments[index] ?? '';
    path = path.replace(`{${name}}`, value === '<link>' ? realLinkId : value);
  });
  const search = new URLSearchParams(input.query).toString();
  const headers: Record<string, string> = { ...input.extraHeaders };
  if (input.authorization !== undefined) headers.authorization = input.authorization;
  if (input.contentType !== undefined && input.body !== undefined) {
    headers['content-type'] = input.contentType;
  }
  if (input.body !== undefined && input.signing !== 'none' && path.startsWith('/webhooks/')) {
    const now = Math.floor(Date.now() / 1000);
    const timestamp = {
      valid: undefined,
      'valid-stale': String(now - 3600),
      'valid-future': String(now + 3600),
      'valid-garbage-ts': 'yesterday',
    }[input.signing];
    Object.assign(headers, signNotice(input.body, timestamp));
  }
  return {
    method: (input.otherMethod ?? operation.method).toUpperCase(),
    url: search === '' ? path : `${path}?${search}`,
    headers,
    ...(input.body === undefined ? {} : { payload: input.body }),
  };
}

function outcome(response: { statusCode: number; body: string }): string {
  const code = response.statusCode >= 400 ? errorCodeOf(response as never) : 'ok';
  return `${String(response.statusCode)} ${code}`;
}

/**
 * Forgets the intake's count of refused notices from this test's address: the fuzz sends
 * thousands, and the rate limit they would trip is tested on its own
 * (test/security/webhook-intake.test.ts).
 */
const resetIntakeLimit = () =>
  world.rt.redis.del(`${world.rt.config.queuePrefix}:intake-failures:127.0.0.1`);

describe('fuzz: every public route and the webhook intake', () => {
  it('derives at least the documented routes from /openapi.json', () => {
    const names = operations.map((operation) => `${operation.method} ${operation.path}`);
    for (const expected of [
      'post /v1/links',
      'get /oauth/callback',
      'post /v1/links/{linkId}/pin',
      'get /v1/connections/{id}/token',
      'delete /v1/connections/{id}',
      'post /webhooks/{provider}',
      'get /v1/events',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it(`never answers 5xx, keeps the error shape and codes stable, changes nothing (${String(RUNS_PER_ROUTE)} runs per route)`, async () => {
    const seen = new Map<string, Set<string>>();
    for (const operation of operations) {
      const name = `${operation.method.toUpperCase()} ${operation.path}`;
      const before = await stateCounts(world.rt);
      const outcomes = new Set<string>();
      await fc.assert(
        fc.asyncProperty(requestArb, async (input) => {
          const request = toInject(operation, input);
          await resetIntakeLimit();
          const first = await world.app.inject(request);
          expect(first.statusCode, `${name}: ${first.body.slice(0, 200)}`).toBeLessThan(500);
          expect(first.headers['x-injected']).toBeUndefined();
          if (first.statusCode >= 300 && first.statusCode < 400) {
            throw new Error(
              `${name} redirected a hostile request to ${String(first.headers.location)}`,
            );
          }
          const answer = outcome(first);
          // The same bad input, the same answer.
          if (first.statusCode >= 400) {
            await resetIntakeLimit();
            expect(outcome(await world.app.inject(request))).toBe(answer);
          }
          outcomes.add(answer);
        }),
        { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true },
      );
      expect(await stateCounts(world.rt), `${name} changed state`).toEqual(before);
      seen.set(name, outcomes);
    }
    // What each route answered, for docs/reliability.md.
    console.info(
      [...seen].map(([name, answers]) => `${name}: ${[...answers].sort().join(' | ')}`).join('\n'),
    );
  }, 120_000);

  it('refuses bodies over the limit on every body-taking route with 413 payload_too_large', async () => {
    const before = await stateCounts(world.rt);
    // The proxy streams bodies of any size to the provider by contract (docs/proxy.md): it has
    // no body limit of its own, and its 1 GB streams are tested in test/proxy/stream.test.ts.
    const limited = operations.filter((op) => op.method === 'post' && !op.path.includes('/proxy/'));
    for (const operation of limited) {
      const url = operation.path.replace(/\{\w+\}/g, (_match: string) =>
        operation.path.startsWith('/webhooks/') ? 'acme' : realLinkId,
      );
      const limit = operation.path.startsWith('/webhooks/') ? 256 * 1024 : BODY_LIMIT_BYTES;
      const payload = JSON.stringify({ pad: 'x'.repeat(limit) });
      await resetIntakeLimit();
      const response = await world.app.inject({
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${API_KEY}`,
          'content-type': 'application/json',
          ...(operation.path.startsWith('/webhooks/') ? signNotice(payload) : {}),
        },
        payload,
      });
      expect([url, response.statusCode, errorCodeOf(response)]).toEqual([
        url,
        413,
        'payload_too_large',
      ]);
    }
    expect(await stateCounts(world.rt)).toEqual(before);
  });
});

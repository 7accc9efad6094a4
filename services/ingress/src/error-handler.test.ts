import {
  ProviderError,
  ProviderNotConfiguredError,
  UnknownProviderError,
} from '@tokenlane/providers';
import { describe, expect, it } from 'vitest';
import { bearerToken, matchesApiKey } from './auth.js';
import { toHttpError } from './error-handler.js';
import { HttpError } from './errors.js';
import { isUnavailableError } from './unavailable.js';

function errorWith(message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), fields);
}

describe('toHttpError', () => {
  it.each([
    [new HttpError(409, 'conflict', 'busy'), 409, 'conflict'],
    [new UnknownProviderError('acme'), 404, 'unknown_provider'],
    [new ProviderNotConfiguredError('fitbit'), 422, 'provider_not_configured'],
    [new ProviderError('provider_unavailable', 'down', { status: 503 }), 502, 'provider_error'],
    [
      errorWith('connect ECONNREFUSED 127.0.0.1:6379', { code: 'ECONNREFUSED' }),
      503,
      'service_unavailable',
    ],
    [errorWith('terminating connection', { code: '57P01' }), 503, 'service_unavailable'],
    [errorWith('Connection terminated unexpectedly'), 503, 'service_unavailable'],
    [
      errorWith("Stream isn't writeable and enableOfflineQueue options is false"),
      503,
      'service_unavailable',
    ],
    [
      errorWith('wrapped', { cause: errorWith('x', { code: 'ETIMEDOUT' }) }),
      503,
      'service_unavailable',
    ],
    [new AggregateError([errorWith('x', { code: 'ECONNREFUSED' })]), 503, 'service_unavailable'],
    [errorWith('syntax error at or near', { code: '42601' }), 500, 'internal'],
    [
      errorWith('Body is not valid JSON', {
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
        statusCode: 400,
      }),
      400,
      'invalid_json',
    ],
    [
      errorWith('too large', { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }),
      413,
      'payload_too_large',
    ],
    [errorWith('teapot', { statusCode: 418 }), 418, 'invalid_request'],
    [errorWith('slow down', { statusCode: 429 }), 429, 'rate_limited'],
    [new TypeError('undefined is not a function'), 500, 'internal'],
  ])('maps %o to %i %s', (error, status, code) => {
    const mapped = toHttpError(error);
    expect(mapped.status).toBe(status);
    expect(mapped.code).toBe(code);
  });

  it('never passes an internal message through', () => {
    expect(toHttpError(new Error('password=hunter2')).message).not.toContain('hunter2');
    expect(toHttpError(errorWith('x', { code: 'ECONNREFUSED' })).message).not.toContain('x');
  });

  it('names only well-formed provider ids', () => {
    expect(toHttpError(new UnknownProviderError('acme')).message).toContain('"acme"');
    expect(toHttpError(new UnknownProviderError('<script>')).message).not.toContain('script');
  });

  it('carries Retry-After from a provider error', () => {
    const error = new ProviderError('rate_limited', 'slow', { retryAfterMs: 2500 });
    expect(toHttpError(error).headers).toEqual({ 'retry-after': '3' });
  });

  it('stops following causes at a cycle', () => {
    const a: { cause?: unknown } = {};
    a.cause = a;
    expect(isUnavailableError(a)).toBe(false);
  });
});

describe('API key helpers', () => {
  it('parses only a well-formed Bearer header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('Basic abc')).toBeUndefined();
  });

  it('matches any configured key, and only exactly', () => {
    const keys = ['first-key-0123456789', 'second-key-0123456789'];
    expect(matchesApiKey('first-key-0123456789', keys)).toBe(true);
    expect(matchesApiKey('second-key-0123456789', keys)).toBe(true);
    expect(matchesApiKey('second-key-012345678', keys)).toBe(false);
    expect(matchesApiKey('', keys)).toBe(false);
    expect(matchesApiKey('first-key-0123456789', [])).toBe(false);
  });
});

import * as crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { authenticate, matchesApiKey } from '@tokenlane/ingress';
import type * as Vault from '@tokenlane/vault';
import {
  hmacSha256,
  signEventPayload,
  timingSafeEqualString,
  verifyEventSignature,
  verifyHmacSha256,
} from '@tokenlane/vault';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseApiKeys } from '@tokenlane/config';

/**
 * Secrets are compared in constant time: the API key check runs the constant-time helper once
 * per configured key whichever matched, and signatures go through `crypto.timingSafeEqual`.
 * These are structural checks (which helper runs, how often), not wall-clock measurements,
 * which would be too noisy to mean anything in CI.
 */
vi.mock('@tokenlane/vault', async (importOriginal) => {
  const actual = await importOriginal<typeof Vault>();
  return { ...actual, timingSafeEqualString: vi.fn(actual.timingSafeEqualString) };
});
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const KEYS = ['key-one-0123456789', 'key-two-0123456789', 'key-three-0123456789'];
const compareString = vi.mocked(timingSafeEqualString);
const compareBytes = vi.mocked(crypto.timingSafeEqual);

beforeEach(() => {
  compareString.mockClear();
  compareBytes.mockClear();
});

describe('API keys', () => {
  it.each([
    ['the first key', KEYS[0] ?? '', true],
    ['the last key', KEYS[2] ?? '', true],
    ['a wrong key of the same length', 'key-one-0123456788', false],
    ['a prefix of a key', 'key-one', false],
    ['an empty string', '', false],
  ])('compares %s against every configured key', (_name, presented, expected) => {
    expect(matchesApiKey(presented, KEYS)).toBe(expected);
    expect(compareString).toHaveBeenCalledTimes(KEYS.length);
    expect(compareString.mock.calls.map((call) => call[1])).toEqual(KEYS);
    // Both sides are hashed first, so even a length difference is compared in full.
    expect(compareBytes).toHaveBeenCalledTimes(KEYS.length);
  });

  it('authenticate goes through the same constant-time check', () => {
    const request = (authorization: string) =>
      ({ headers: { authorization } }) as unknown as FastifyRequest;
    const keys = parseApiKeys(KEYS);
    expect(authenticate(request(`Bearer ${KEYS[0] ?? ''}`), keys).name).toBe('key-1');
    expect(compareString).toHaveBeenCalledTimes(KEYS.length);
    expect(() => {
      authenticate(request('Bearer nope-0123456789'), keys);
    }).toThrow(/Invalid API key/);
    expect(compareString).toHaveBeenCalledTimes(2 * KEYS.length);
  });
});

describe('signatures', () => {
  const secret = 'webhook-secret-for-timing';
  const body = '{"type":"auth_revoked","providerUserId":"u"}';
  const good = hmacSha256(secret, body, 'hex');

  it('verifyHmacSha256 compares same-length signatures with crypto.timingSafeEqual', () => {
    const wrong = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    expect(verifyHmacSha256(secret, body, good, 'hex')).toBe(true);
    expect(verifyHmacSha256(secret, body, good.toUpperCase(), 'hex')).toBe(true);
    expect(verifyHmacSha256(secret, body, wrong, 'hex')).toBe(false);
    expect(compareBytes).toHaveBeenCalledTimes(3);
    // A wrong length leaves early: the length of an HMAC-SHA256 is public.
    expect(verifyHmacSha256(secret, body, good.slice(2), 'hex')).toBe(false);
    expect(compareBytes).toHaveBeenCalledTimes(3);
  });

  it('outgoing event signatures check every v1 candidate, whichever matches', () => {
    const now = 1_900_000_000;
    const header = signEventPayload(secret, body, now);
    const v1 = /v1=([0-9a-f]{64})/.exec(header)?.[1] ?? '';
    const other = '0'.repeat(64);
    for (const candidates of [
      [v1, other, other],
      [other, other, v1],
    ]) {
      compareBytes.mockClear();
      const rotated = `t=${String(now)},${candidates.map((s) => `v1=${s}`).join(',')}`;
      expect(verifyEventSignature(secret, body, rotated, { now })).toBe(true);
      expect(compareBytes).toHaveBeenCalledTimes(3);
    }
  });
});

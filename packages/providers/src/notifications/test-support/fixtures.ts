import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { Provider } from '../../definition.js';
import { loadProviders } from '../../registry/load.js';
import type { NotificationInput } from '../common.js';
import { NotificationError, type NotificationErrorCode } from '../errors.js';

export const CLIENT_SECRET = 'client-secret-7f3a9c1e';
export const WEBHOOK_SECRET = 'webhook-secret-4e5f6a7b-0123456789abcdef';
/** Strava's subscription-check token: its own setting, unlike the intake secret. */
export const VERIFY_TOKEN = 'strava-verify-token-5d1c';
export const NOW = new Date('2026-03-01T12:00:00Z');

const credentials = { clientId: 'client-id', clientSecret: CLIENT_SECRET };
const withSecret = { ...credentials, webhookSecret: WEBHOOK_SECRET };
const custom = {
  kind: 'oauth2',
  authorizationUrl: 'https://idp.example/auth',
  tokenUrl: 'https://idp.example/token',
};

const registry = loadProviders({
  publicUrl: 'https://tokenlane.test',
  file: {
    fitbit: withSecret,
    whoop: credentials,
    oura: withSecret,
    polar: withSecret,
    strava: { ...withSecret, verifyToken: VERIFY_TOKEN },
    garmin: withSecret,
    'garmin-oauth2': withSecret,
    dexcom: withSecret,
    acme: { ...custom, ...withSecret },
    plain: { ...custom, ...credentials },
  },
});

/** A configured provider of the test registry: every built-in above, `acme`, `plain`. */
export function providerOf(id: string): Provider {
  return registry.require(id);
}

/** A notification as the intake would pass it, at {@link NOW}. */
export function notification(
  body: string | object,
  headers: Record<string, string> = {},
  extra: Partial<Pick<NotificationInput, 'query' | 'pathSecret'>> = {},
): NotificationInput {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    rawBody: Buffer.from(text, 'utf8'),
    query: extra.query ?? {},
    ...(extra.pathSecret === undefined ? {} : { pathSecret: extra.pathSecret }),
    now: NOW,
  };
}

export function hmac(
  algorithm: 'sha1' | 'sha256',
  key: string,
  payload: string,
  encoding: 'hex' | 'base64',
): string {
  return createHmac(algorithm, key).update(payload).digest(encoding);
}

/** Asserts `run` throws a NotificationError with `code` whose message leaks no secret. */
export function expectRefused(run: () => unknown, code: NotificationErrorCode): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(NotificationError);
  const error = thrown as NotificationError;
  expect(error.code).toBe(code);
  expect(error.message).not.toContain(CLIENT_SECRET);
  expect(error.message).not.toContain(WEBHOOK_SECRET);
}

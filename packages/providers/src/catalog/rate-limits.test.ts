import { describe, expect, it } from 'vitest';
import { loadProviders } from '../registry/load.js';
import { BUILTIN_PROVIDERS } from './index.js';

const publicUrl = 'https://tokenlane.test/';
const credentials = { clientId: 'id', clientSecret: 'secret-0123' };

// The documented limits each definition cites (checked 2026-12-06); absent: none published.
const DOCUMENTED: Record<string, unknown> = {
  whoop: [
    { requests: 100, perSeconds: 60 },
    { requests: 10_000, perSeconds: 86_400 },
  ],
  withings: [{ requests: 120, perSeconds: 60 }],
  strava: [
    { requests: 200, perSeconds: 900 },
    { requests: 2_000, perSeconds: 86_400 },
  ],
  fitbit: [{ requests: 150, perSeconds: 3_600, per: 'connection' }],
  'google-health': [
    { requests: 300, perSeconds: 60, per: 'connection' },
    { requests: 120_000, perSeconds: 60 },
    { requests: 86_400_000, perSeconds: 86_400 },
  ],
  oura: [{ requests: 5_000, perSeconds: 300, per: 'connection' }],
  dexcom: [{ requests: 60_000, perSeconds: 3_600 }],
};

describe('built-in rate limits', () => {
  it.each(BUILTIN_PROVIDERS.map((provider) => [provider.id, provider] as const))(
    '%s carries its documented windows, or none',
    (id, provider) => {
      expect(provider.rateLimits).toEqual(DOCUMENTED[id]);
    },
  );

  it('keeps them through the providers file, and in the chosen region', () => {
    const registry = loadProviders({
      publicUrl,
      file: { whoop: credentials, dexcom: { ...credentials, region: 'eu' } },
    });
    expect(registry.require('whoop').rateLimits).toEqual(DOCUMENTED.whoop);
    expect(registry.require('dexcom').rateLimits).toEqual(DOCUMENTED.dexcom);
  });

  it('gives way to the file: its rateLimits, or its old rateLimit as the one window', () => {
    const own = [{ requests: 1_000, perSeconds: 60 }];
    const registry = loadProviders({
      publicUrl,
      file: {
        whoop: { ...credentials, rateLimits: own },
        strava: { ...credentials, rateLimit: { requests: 10, perSeconds: 1 } },
        withings: { ...credentials, rateLimits: [] },
      },
    });
    expect(registry.require('whoop').rateLimits).toEqual(own);
    expect(registry.require('strava').rateLimits).toBeUndefined();
    expect(registry.require('strava').rateLimit).toEqual({ requests: 10, perSeconds: 1 });
    expect(registry.require('withings').rateLimits).toEqual([]);
  });
});

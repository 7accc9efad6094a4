import { describe, expect, it } from 'vitest';
import { ProvidersFileError } from '../errors.js';
import { loadProviders } from './load.js';
import { isRetired, sunsetInstant } from './sunset.js';

const publicUrl = 'https://tokenlane.test/';
const load = (file: object) => loadProviders({ publicUrl, file });
const credentials = { clientId: 'id', clientSecret: 'sunset-secret-8c1d' };

function loadError(file: object): ProvidersFileError {
  try {
    load(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ProvidersFileError);
    expect((error as Error).message).not.toContain('sunset-secret-8c1d');
    return error as ProvidersFileError;
  }
  throw new Error('expected a ProvidersFileError');
}

describe('sunsets and successors', () => {
  it('declares the 2026 built-ins: fitbit → google-health, garmin → garmin-oauth2, nest-legacy retired', () => {
    const registry = loadProviders({ publicUrl });
    expect(registry.get('fitbit')).toMatchObject({
      sunsetAt: '2026-11-02',
      successor: 'google-health',
    });
    expect(registry.get('garmin')).toMatchObject({
      sunsetAt: '2026-12-31',
      successor: 'garmin-oauth2',
      tokenExchangeUrl: 'https://apis.garmin.com/partner-gateway/rest/user/token-exchange',
    });
    expect(registry.get('nest-legacy')).toMatchObject({ successor: 'google-nest' });
    expect(isRetired(registry.get('nest-legacy')!)).toBe(true);
    expect(isRetired(registry.get('garmin')!, new Date('2026-12-30T23:59:59Z'))).toBe(false);
    expect(isRetired(registry.get('garmin')!, new Date('2026-12-31T00:00:00Z'))).toBe(true);
    expect(registry.get('garmin-oauth2')?.sunsetAt).toBeUndefined();
  });

  it('reads a bare date as the start of that day in UTC, a date-time as it is', () => {
    expect(sunsetInstant({ sunsetAt: '2026-11-02' })?.toISOString()).toBe(
      '2026-11-02T00:00:00.000Z',
    );
    expect(sunsetInstant({ sunsetAt: '2026-11-02T12:30:00+02:00' })?.toISOString()).toBe(
      '2026-11-02T10:30:00.000Z',
    );
    expect(sunsetInstant({})).toBeUndefined();
  });

  it('lets the providers file move a sunset, clear it with null, or declare one on a custom provider', () => {
    const registry = load({
      garmin: { ...credentials, sunsetAt: '2027-03-31', tokenExchangeUrl: 'http://127.0.0.1:9/x' },
      'nest-legacy': { ...credentials, sunsetAt: null },
      acme: {
        kind: 'oauth2',
        authorizationUrl: 'https://idp.example/auth',
        tokenUrl: 'https://idp.example/token',
        ...credentials,
        sunsetAt: '2026-06-01T00:00:00Z',
        successor: 'google-health',
      },
    });
    expect(registry.require('garmin')).toMatchObject({
      sunsetAt: '2027-03-31',
      tokenExchangeUrl: 'http://127.0.0.1:9/x',
    });
    expect(registry.require('nest-legacy').sunsetAt).toBeUndefined();
    expect(isRetired(registry.require('nest-legacy'))).toBe(false);
    expect(registry.require('acme')).toMatchObject({ successor: 'google-health' });
  });

  it('refuses a successor that is unknown, not OAuth 2.0, itself retired, or the provider itself', () => {
    expect(loadError({ fitbit: { successor: 'nope' } }).message).toBe(
      'providers file: "fitbit".successor names an unknown provider "nope"',
    );
    expect(loadError({ fitbit: { successor: 'garmin' } }).message).toBe(
      'providers file: "fitbit".successor "garmin" must be an OAuth 2.0 provider',
    );
    expect(loadError({ fitbit: { successor: 'nest-legacy' } }).message).toBe(
      'providers file: "fitbit".successor "nest-legacy" is retired itself',
    );
    expect(loadError({ fitbit: { successor: 'fitbit' } }).field).toBe('successor');
  });

  it('refuses a sunset that is not an ISO date', () => {
    expect(loadError({ fitbit: { sunsetAt: 'next winter' } }).message).toBe(
      'providers file: "fitbit".sunsetAt must be an ISO date (YYYY-MM-DD) or date-time',
    );
  });
});

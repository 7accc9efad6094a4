import { loadProviders } from '@tokenlane/providers';
import { describe, expect, it } from 'vitest';
import { upstreamUrl } from './upstream-url.js';

// Where a proxied call goes for the built-ins whose API host is configuration, not a constant:
// the chosen region (Dexcom) and the Device Access project (Google Nest SDM). The quirk lives
// in the definition and the providers file; the route only ever joins apiBaseUrl and a path.
const credentials = { clientId: 'id', clientSecret: 'secret-0123' };

function baseOf(id: string, entry: object): string {
  const registry = loadProviders({ publicUrl: 'https://tokenlane.test', file: { [id]: entry } });
  const base = registry.require(id).apiBaseUrl;
  if (base === undefined) throw new Error(`${id} has no apiBaseUrl`);
  return base;
}

function target(base: string, path: string, query = ''): string | undefined {
  const result = upstreamUrl(base, path, query);
  return result.ok ? result.url.href : undefined;
}

describe('the provider host a proxied call goes to', () => {
  it.each([
    [undefined, 'https://api.dexcom.com'],
    ['us', 'https://api.dexcom.com'],
    ['eu', 'https://api.dexcom.eu'],
    ['jp', 'https://api.dexcom.jp'],
    ['sandbox', 'https://sandbox-api.dexcom.com'],
  ])('dexcom in region %s: %s', (region, origin) => {
    const base = baseOf('dexcom', region === undefined ? credentials : { ...credentials, region });
    expect(target(base, 'v3/users/self/egvs', 'startDate=2026-12-01T00:00:00')).toBe(
      `${origin}/v3/users/self/egvs?startDate=2026-12-01T00:00:00`,
    );
  });

  it('dexcom: an apiBaseUrl the entry sets itself wins over the region', () => {
    const base = baseOf('dexcom', { ...credentials, region: 'eu', apiBaseUrl: 'https://dx.test' });
    expect(target(base, 'v3/users/self/devices')).toBe('https://dx.test/v3/users/self/devices');
  });

  it('google-nest: under the project’s enterprise, which no path can leave', () => {
    const base = baseOf('google-nest', { ...credentials, urlParams: { projectId: 'proj-42' } });
    expect(base).toBe('https://smartdevicemanagement.googleapis.com/v1/enterprises/proj-42');
    expect(target(base, 'devices')).toBe(`${base}/devices`);
    expect(target(base, 'devices/dev-1:executeCommand')).toBe(
      `${base}/devices/dev-1:executeCommand`,
    );
    // Another project's devices are out of reach: `..` in any encoding is refused.
    expect(target(base, '../other-project/devices')).toBeUndefined();
    expect(target(base, '%2e%2e/other-project/devices')).toBeUndefined();
  });

  it('google-nest needs its project id before anything can be called', () => {
    expect(() => baseOf('google-nest', credentials)).toThrow(/urlParams\.projectId is required/);
  });

  it('withings: actions are parameters of a path under wbsapi, sent as the caller wrote them', () => {
    const base = baseOf('withings', credentials);
    expect(target(base, 'measure', 'action=getmeas&meastype=1')).toBe(
      'https://wbsapi.withings.net/measure?action=getmeas&meastype=1',
    );
    expect(target(base, 'v2/sleep')).toBe('https://wbsapi.withings.net/v2/sleep');
  });
});

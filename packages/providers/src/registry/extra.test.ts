import { describe, expect, it } from 'vitest';
import { ProvidersFileError } from '../errors.js';
import { loadProviders } from './load.js';

const publicUrl = 'https://tokenlane.test';
const demo = {
  kind: 'oauth2',
  authorizationUrl: 'http://127.0.0.1:3001/auth',
  tokenUrl: 'http://127.0.0.1:3001/token',
  clientId: 'tokenlane-demo',
  clientSecret: 'demo-secret-0123456789',
  pkce: true,
};

describe('loadProviders({ extra })', () => {
  it('adds the extra entries beside the file, validated like file entries', () => {
    const registry = loadProviders({
      publicUrl,
      file: { acme: { ...demo, clientId: 'acme' } },
      extra: { demo },
    });
    expect(registry.require('demo')).toMatchObject({
      kind: 'oauth2',
      custom: true,
      clientId: 'tokenlane-demo',
      pkce: 'required',
      redirectUri: 'https://tokenlane.test/oauth/callback',
    });
    expect(registry.require('acme').clientId).toBe('acme');
  });

  it('refuses an id that the providers file defines too', () => {
    expect(() => loadProviders({ publicUrl, file: { demo }, extra: { demo } })).toThrow(
      ProvidersFileError,
    );
    expect(() => loadProviders({ publicUrl, file: { demo }, extra: { demo } })).toThrow(
      /"demo" is in the providers file and also added at startup/,
    );
  });

  it('checks extra entries as strictly as the file', () => {
    expect(() =>
      loadProviders({ publicUrl, extra: { demo: { ...demo, tokenUrl: 'nope' } } }),
    ).toThrow(/"demo"\.tokenUrl/);
  });
});

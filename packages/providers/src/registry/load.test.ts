import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import { ProviderNotConfiguredError, ProvidersFileError, UnknownProviderError } from '../errors.js';
import { loadProviders } from './load.js';

const publicUrl = 'https://tokenlane.test/';
const load = (file: object) => loadProviders({ publicUrl, file });
const credentials = { clientId: 'id', clientSecret: 'file-secret-4e5f' };

function fileError(file: object): ProvidersFileError {
  try {
    load(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ProvidersFileError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).not.toContain('file-secret-4e5f');
    return error as ProvidersFileError;
  }
  throw new Error('expected a ProvidersFileError');
}

describe('loadProviders', () => {
  it('lists every built-in, unconfigured without credentials', () => {
    const registry = loadProviders({ publicUrl });
    expect(registry.list().map((p) => p.id)).toEqual([
      'garmin',
      'garmin-oauth2',
      'google-health',
      'fitbit',
      'whoop',
      'oura',
      'withings',
      'polar',
      'strava',
      'dexcom',
      'google-nest',
      'nest-legacy',
    ]);
    expect(registry.get('fitbit')?.configured).toBe(false);
    expect(() => registry.require('fitbit')).toThrow(ProviderNotConfiguredError);
    expect(() => registry.require('nope')).toThrow(UnknownProviderError);
    expect(() => registry.require('nope')).toThrow(
      expect.objectContaining({ code: 'unknown_provider' }),
    );
  });

  it('wraps client secrets in Secret at parse time and lets a built-in override endpoints', () => {
    const registry = load({
      fitbit: { ...credentials, tokenUrl: 'http://127.0.0.1:9/token', scopes: ['sleep'] },
    });
    const fitbit = registry.require('fitbit');
    expect(fitbit.clientSecret).toBeInstanceOf(Secret);
    expect(inspect(fitbit)).not.toContain('file-secret-4e5f');
    expect(JSON.stringify(fitbit)).not.toContain('file-secret-4e5f');
    expect(fitbit).toMatchObject({
      configured: true,
      custom: false,
      tokenUrl: 'http://127.0.0.1:9/token',
      authorizationUrl: 'https://www.fitbit.com/oauth2/authorize',
      scopes: ['sleep'],
      redirectUri: 'https://tokenlane.test/oauth/callback',
    });
  });

  it('declares custom OAuth 2.0 and OAuth 1.0a providers with defaults', () => {
    const registry = load({
      acme: {
        kind: 'oauth2',
        authorizationUrl: 'https://idp.example/auth',
        tokenUrl: 'https://idp.example/token',
        pkce: true,
        authorizationParams: { prompt: 'consent' },
        webhookSecret: 'hook-secret-0123456789abcdef0123456789',
        ...credentials,
      },
      legacy: {
        kind: 'oauth1',
        requestTokenUrl: 'https://legacy.example/request',
        authorizationUrl: 'https://legacy.example/authorize',
        accessTokenUrl: 'https://legacy.example/access',
        ...credentials,
      },
    });
    expect(registry.require('acme')).toMatchObject({
      kind: 'oauth2',
      custom: true,
      displayName: 'acme',
      tokenEndpointAuthMethod: 'client_secret_basic',
      pkce: 'required',
      scopes: [],
      authorizationParams: { prompt: 'consent' },
    });
    expect(registry.require('acme').webhookSecret).toBeInstanceOf(Secret);
    expect(registry.require('legacy')).toMatchObject({ kind: 'oauth1', custom: true });
  });

  it.each([
    [
      { acme: { ...credentials, tokenUrl: 'https://x' } },
      /^providers file: "acme".kind is required/,
    ],
    [
      {
        acme: {
          kind: 'oauth2',
          authorizationUrl: 'https://a.example',
          tokenUrl: '/token',
          ...credentials,
        },
      },
      'providers file: "acme".tokenUrl must be an absolute URL',
    ],
    [
      { acme: { kind: 'oauth2', authorizationUrl: 'https://a.example', ...credentials } },
      'providers file: "acme".tokenUrl is required',
    ],
    [
      { fitbit: { ...credentials, tokenUrl: 'ftp://x.example' } },
      'providers file: "fitbit".tokenUrl must be an absolute URL',
    ],
    [
      { fitbit: { ...credentials, clientScret: 'x' } },
      'providers file: "fitbit".clientScret is not a known field',
    ],
    [
      { fitbit: { clientId: 'id' } },
      'providers file: "fitbit".clientSecret is required with the other credential',
    ],
    [
      { fitbit: { ...credentials, clientSecret: '' } },
      'providers file: "fitbit".clientSecret must not be empty',
    ],
    [
      { fitbit: { ...credentials, clientSecret: 42 } },
      'providers file: "fitbit".clientSecret must be a string',
    ],
    [
      { garmin: { ...credentials, kind: 'oauth2' } },
      'providers file: "garmin".kind must be "oauth1"',
    ],
    [
      { fitbit: { ...credentials, tokenEndpointAuthMethod: 'private_key_jwt' } },
      'providers file: "fitbit".tokenEndpointAuthMethod must be "client_secret_basic" or "client_secret_post"',
    ],
    [
      { fitbit: { ...credentials, scopes: ['ok', 3] } },
      'providers file: "fitbit".scopes[1] must be a string',
    ],
    [{ fitbit: 'yes' }, 'providers file: "fitbit" must be an object'],
    [
      { strava: { ...credentials, webhookSecret: 'x' } },
      'providers file: "strava".webhookSecret must be at least 32 characters long',
    ],
    [
      { fitbit: { ...credentials, verifyToken: 'token' } },
      'providers file: "fitbit".verifyToken is read only for strava',
    ],
    [
      {
        strava: {
          ...credentials,
          webhookSecret: 'hook-secret-0123456789abcdef0123456789',
          verifyToken: 'hook-secret-0123456789abcdef0123456789',
        },
      },
      'providers file: "strava".verifyToken must differ from webhookSecret',
    ],
    [{ 'Bad Id': {} }, /^providers file: "Bad Id" is not a valid provider id/],
    [
      { 'google-nest': credentials },
      'providers file: "google-nest".urlParams.projectId is required (used in authorizationUrl)',
    ],
  ])('rejects %j with one line naming provider and field', (file, message) => {
    const error = fileError(file);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('reads a file path and reports unreadable or non-JSON files without their content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'providers-'));
    try {
      const good = join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ whoop: credentials }));
      expect(loadProviders({ publicUrl, file: good }).require('whoop').configured).toBe(true);
      const bad = join(dir, 'bad.json');
      await writeFile(bad, '{"whoop": {"clientSecret": "file-secret-4e5f",}}');
      expect(() => loadProviders({ publicUrl, file: bad })).toThrow(
        `providers file: ${bad} is not valid JSON`,
      );
      expect(() => loadProviders({ publicUrl, file: join(dir, 'missing.json') })).toThrow(
        /cannot be read \(ENOENT\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { ProviderError } from '@tokenlane/oauth';
import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import { lookUpIdentity } from '../oauth2/identity.js';
import { runPostLink } from '../oauth2/post-link.js';
import {
  SECRETS,
  builtinRegistry,
  mockHttpPerTest,
  oauth2Of,
  recordInto,
  type RecordedRequest,
} from '../test-support/mock-http.js';

// Who the user is, asked after the link with the user's bearer token (shapes as documented).
const registry = builtinRegistry();
const tokens = { accessToken: new Secret(SECRETS.accessToken), tokenType: 'Bearer', metadata: {} };
const http = mockHttpPerTest();

describe.each([
  [
    'google-health',
    'https://health.googleapis.com',
    '/v4/users/me/identity',
    { name: 'users/me/identity', healthUserId: '111222333444', legacyUserId: '2E4RVC' },
    {
      providerUserId: '111222333444',
      metadata: { healthUserId: '111222333444', legacyUserId: '2E4RVC' },
    },
  ],
  [
    'whoop',
    'https://api.prod.whoop.com',
    '/developer/v2/user/profile/basic',
    { user_id: 10129, email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe' },
    { providerUserId: '10129', metadata: {} },
  ],
  [
    'oura',
    'https://api.ouraring.com',
    '/v2/usercollection/personal_info',
    {
      id: '8f9a5221-639e-4a85-81cb-4065ef23f979',
      age: 31,
      weight: 74.8,
      height: 1.8,
      email: 'x@example.com',
    },
    { providerUserId: '8f9a5221-639e-4a85-81cb-4065ef23f979', metadata: {} },
  ],
])('%s user id', (id, origin, path, answer, expected) => {
  it('is read from the documented endpoint with the bearer token', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get(origin)
      .intercept({ path, method: 'GET' })
      .reply(recordInto(requests, 200, answer));
    const linked = await runPostLink(
      oauth2Of(registry, id),
      tokens,
      { memberId: 'm' },
      http.options,
    );
    expect(linked.providerUserId).toBe(expected.providerUserId);
    expect(linked.metadata).toEqual(expected.metadata);
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${SECRETS.accessToken}`);
  });

  it('never fails the link: retried, then reported in metadata', async () => {
    // Three answers: the first try and two in-call retries.
    http.agent.get(origin).intercept({ path, method: 'GET' }).reply(503, '').times(3);
    const linked = await runPostLink(
      oauth2Of(registry, id),
      tokens,
      { memberId: 'm' },
      http.options,
    );
    expect(linked.providerUserId).toBeUndefined();
    expect(linked.accessToken.reveal()).toBe(SECRETS.accessToken);
    expect(linked.metadata).toEqual({
      identityLookup: 'failed',
      identityLookupError: 'provider_unavailable',
    });
  });
});

it('google-health: a user who never had Fitbit has no legacyUserId', async () => {
  http.agent
    .get('https://health.googleapis.com')
    .intercept({ path: '/v4/users/me/identity', method: 'GET' })
    .reply(
      200,
      { name: 'users/me/identity', healthUserId: '999', legacyUserId: '' },
      {
        headers: { 'content-type': 'application/json' },
      },
    );
  const linked = await runPostLink(
    oauth2Of(registry, 'google-health'),
    tokens,
    { memberId: 'm' },
    http.options,
  );
  expect(linked.metadata).toEqual({ healthUserId: '999' });
});

describe('lookUpIdentity (the retry of a pending identity)', () => {
  it('asks with the given token and returns the id and metadata', async () => {
    const requests: RecordedRequest[] = [];
    http.agent
      .get('https://health.googleapis.com')
      .intercept({ path: '/v4/users/me/identity', method: 'GET' })
      .reply(recordInto(requests, 200, { healthUserId: 'h-1', legacyUserId: '' }));
    const found = await lookUpIdentity(
      oauth2Of(registry, 'google-health'),
      new Secret('later-token'),
      http.options,
    );
    expect(found).toEqual({ providerUserId: 'h-1', metadata: { healthUserId: 'h-1' } });
    expect(requests[0]?.headers.authorization).toBe('Bearer later-token');
  });

  it('throws the classified error when the provider cannot tell', async () => {
    http.agent
      .get('https://health.googleapis.com')
      .intercept({ path: '/v4/users/me/identity', method: 'GET' })
      .reply(401, { error: { code: 401, status: 'UNAUTHENTICATED' } });
    const error: unknown = await lookUpIdentity(
      oauth2Of(registry, 'google-health'),
      new Secret(SECRETS.accessToken),
      http.options,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).not.toContain(SECRETS.accessToken);
  });

  it('is unsupported for a provider that declares no look-up', async () => {
    await expect(
      lookUpIdentity(oauth2Of(registry, 'fitbit'), new Secret(SECRETS.accessToken), http.options),
    ).rejects.toMatchObject({ code: 'unsupported' });
  });
});

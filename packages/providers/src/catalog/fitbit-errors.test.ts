import { ProviderError } from '@tokenlane/oauth';
import { Secret } from '@tokenlane/vault';
import { describe, expect, it } from 'vitest';
import { refreshTokens } from '../protocol.js';
import { SECRETS, builtinRegistry, mockHttpPerTest, oauth2Of } from '../test-support/mock-http.js';
import { classifyFitbitError, fitbitErrorType } from './fitbit.js';

const fitbit = oauth2Of(builtinRegistry(), 'fitbit');
const http = mockHttpPerTest();

describe("fitbit's error shape", () => {
  it('reads errorType and classifies its own values, leaving the RFC ones to the protocol', () => {
    const body = (errorType: string) => ({ errors: [{ errorType, message: 'm' }] });
    expect(fitbitErrorType(body('system'))).toBe('system');
    expect(fitbitErrorType({ error: 'invalid_grant' })).toBeUndefined();
    expect(classifyFitbitError(body('system'))).toBe('provider_unavailable');
    expect(classifyFitbitError(body('validation'))).toBe('invalid_request');
    expect(classifyFitbitError(body('invalid_grant'))).toBeUndefined();
  });

  it('turns a 4xx naming errorType "system" into a retryable provider_unavailable', async () => {
    http.agent
      .get('https://api.fitbit.com')
      .intercept({ path: '/oauth2/token', method: 'POST' })
      .reply(400, { errors: [{ errorType: 'system' }] });
    const refreshToken = new Secret(SECRETS.refreshToken);
    const error: unknown = await refreshTokens(
      fitbit,
      { refreshToken },
      {
        ...http.options,
        retry: false,
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'provider_unavailable', providerCode: 'system' });
  });
});

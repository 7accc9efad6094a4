import { PROVIDER_ERROR_CODES, ProviderError } from '@tokenlane/oauth';
import { describe, expect, it } from 'vitest';
import { refusalClass } from './errors.js';

describe('refusalClass', () => {
  it('calls transient exactly the codes the protocol retries', () => {
    for (const code of PROVIDER_ERROR_CODES) {
      expect(refusalClass(code) === 'transient', code).toBe(
        new ProviderError(code, code).retryable,
      );
    }
  });
});

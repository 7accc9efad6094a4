import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDERS } from './index.js';

describe('every built-in can be called through the proxy', () => {
  it.each(BUILTIN_PROVIDERS.map((provider) => [provider.id, provider] as const))(
    '%s declares an https apiBaseUrl',
    (_id, provider) => {
      expect(provider.apiBaseUrl).toMatch(/^https:\/\/[a-z0-9.-]+(\/|$)/);
    },
  );
});

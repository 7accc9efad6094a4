import { describe, expect, it } from 'vitest';
import { API_KEY_SCOPES, parseApiKey, parseApiKeys } from './api-keys.js';

const key = 'k'.repeat(16);

describe('TOKENLANE_API_KEYS entries', () => {
  it('a bare key has every scope and a positional name', () => {
    expect(parseApiKeys([key, `${key}x`])).toEqual([
      { name: 'key-1', scopes: new Set(API_KEY_SCOPES), key },
      { name: 'key-2', scopes: new Set(API_KEY_SCOPES), key: `${key}x` },
    ]);
  });

  it('name:scope+scope:key has exactly its scopes; the key may hold a colon', () => {
    expect(parseApiKey(`billing:tokens:read+connections:read:${key}:x`, 1)).toEqual({
      name: 'billing',
      scopes: new Set(['tokens:read', 'connections:read']),
      key: `${key}:x`,
    });
  });

  it('never falls back to a full-access key on a typo, and never quotes the key', () => {
    for (const entry of [`ci:token:read:${key}`, `ci:tokens:read+:${key}`, `ci:${key}`]) {
      const parsed = parseApiKey(entry, 1);
      expect(parsed).toHaveProperty('error');
      expect(JSON.stringify(parsed)).not.toContain(key);
    }
  });
});

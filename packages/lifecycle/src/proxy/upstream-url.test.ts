import { describe, expect, it } from 'vitest';
import { upstreamUrl } from './upstream-url.js';

const BASE = 'https://api.example.com/v1';

function refusalOf(path: string, query = ''): string | undefined {
  const result = upstreamUrl(BASE, path, query);
  return result.ok ? undefined : result.refusal;
}

describe('upstreamUrl: never leaves the base', () => {
  it.each([
    ['..', 'dot_segment'],
    ['a/../../admin', 'dot_segment'],
    ['.', 'dot_segment'],
    ['%2e%2e/admin', 'dot_segment'],
    ['%2E%2E/admin', 'dot_segment'],
    ['.%2e/admin', 'dot_segment'],
    ['%2e./admin', 'dot_segment'],
    ['a/%252e%252e/admin', 'dot_segment'],
    ['a/%25252e%25252e/admin', 'dot_segment'],
    ['%c0%ae%c0%ae/admin', 'bad_encoding'],
    ['%e0%80%ae%e0%80%ae/admin', 'bad_encoding'],
    ['a%2fb', 'encoded_separator'],
    ['a%2Fb', 'encoded_separator'],
    ['a%252fb', 'encoded_separator'],
    ['a%5cb', 'encoded_separator'],
    ['a%5C..%5Cb', 'encoded_separator'],
    ['a\\b', 'encoded_separator'],
    ['/evil.example/x', 'empty_segment'],
    ['a//b', 'empty_segment'],
    ['https:', 'absolute_url'],
    ['https:%2f%2fevil.example', 'encoded_separator'],
    ['http:/evil.example', 'absolute_url'],
    ['javascript:alert(1)', 'absolute_url'],
    ['a%0d%0aHost:%20evil', 'control_character'],
    ['a%00b', 'control_character'],
    ['a\r\nb', 'control_character'],
    ['a b', 'bad_character'],
    ['a#frag', 'bad_character'],
    ['', 'empty_path'],
  ])('refuses %j (%s)', (path, refusal) => {
    expect(refusalOf(path)).toBe(refusal);
  });

  it('refuses a query with raw control characters or spaces', () => {
    expect(refusalOf('items', 'a=1\r\nx: y')).toBe('control_character');
    expect(refusalOf('items', 'a=1 2')).toBe('control_character');
  });

  it('keeps ordinary paths, colons after the first segment, a trailing slash and the query', () => {
    const cases: [string, string, string][] = [
      ['users/me', 'a=1&b=%20x', `${BASE}/users/me?a=1&b=%20x`],
      ['devices/abc:executeCommand', '', `${BASE}/devices/abc:executeCommand`],
      ['items/', '', `${BASE}/items/`],
      ['name%20with%20space', '', `${BASE}/name%20with%20space`],
      ['v.2/a..b/...', '', `${BASE}/v.2/a..b/...`],
    ];
    for (const [path, query, expected] of cases) {
      const result = upstreamUrl(BASE, path, query);
      expect(result.ok && result.url.href).toBe(expected);
    }
  });

  it('works under a base without a path and one with a trailing slash', () => {
    const bare = upstreamUrl('https://api.example.com', 'x', '');
    expect(bare.ok && bare.url.href).toBe('https://api.example.com/x');
    const slash = upstreamUrl('https://api.example.com/v2/', 'x', '');
    expect(slash.ok && slash.url.href).toBe('https://api.example.com/v2/x');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDERS } from './index.js';

// @tokenlane/oauth speaks the standards to any server: a built-in's name in it means a quirk of
// that provider leaked out of its catalog file.
const oauthSources = new URL('../../../oauth/src/', import.meta.url).pathname;

/** Each built-in id and its brand (`google-health` → google), as whole words, any case. */
const names = [...new Set(BUILTIN_PROVIDERS.flatMap(({ id }) => [id, id.split('-')[0]!]))].sort();

function namesIn(text: string): string[] {
  return names.filter((name) => new RegExp(`\\b${name}\\b`, 'i').test(text));
}

describe('packages/oauth', () => {
  it('names no built-in provider, in code, comments or tests', () => {
    const files = readdirSync(oauthSources, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((file) =>
      namesIn(readFileSync(join(oauthSources, file), 'utf8')).map((name) => `${file}: ${name}`),
    );
    expect(found).toEqual([]);
  });

  it('would notice one', () => {
    expect(names).toContain('garmin');
    expect(namesIn("Google's id_token")).toEqual(['google']);
  });
});

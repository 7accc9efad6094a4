import { describe, expect, it } from 'vitest';
import { CATALOG, LANGUAGES, OUTCOMES, type Words } from './index.js';

const names = { app: 'APP', provider: 'PROVIDER' };

/** Every sentence of a catalog, with sample names, keyed by its path. */
function sentences(words: Words): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(words) as [string, unknown][]) {
    if (typeof value === 'function') out.set(key, (value as (n: typeof names) => string)(names));
  }
  for (const outcome of OUTCOMES) {
    for (const part of ['title', 'what', 'next'] as const) {
      out.set(`outcomes.${outcome}.${part}`, words.outcomes[outcome][part](names));
    }
  }
  return out;
}

describe('the word catalogs', () => {
  const english = sentences(CATALOG.en);

  it.each(LANGUAGES)('%s has every key English has, each a sentence of its own', (language) => {
    const own = sentences(CATALOG[language]);
    expect([...own.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of own) {
      expect(text.trim(), key).not.toBe('');
      expect(text, key).not.toMatch(/undefined|null|\$\{|NaN/);
      if (language !== 'en') expect(text, `${key} is still English`).not.toBe(english.get(key));
    }
  });

  it.each(LANGUAGES)('%s names the app wherever English does', (language) => {
    const own = sentences(CATALOG[language]);
    for (const [key, text] of english) {
      if (text.includes('APP')) expect(own.get(key), key).toContain('APP');
      if (text.includes('PROVIDER')) expect(own.get(key), key).toContain('PROVIDER');
    }
  });
});

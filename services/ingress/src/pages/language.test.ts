import { describe, expect, it } from 'vitest';
import { negotiateLanguage } from './language.js';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['de', 'de'],
    ['de-CH, en;q=0.5', 'de'],
    ['fr-CA,fr;q=0.9,en;q=0.8', 'fr'],
    ['en;q=0.4, ja;q=0.9, es;q=0.7', 'ja'],
    ['ES', 'es'],
    ['pt-BR, pt;q=0.9, es;q=0.8, en;q=0.7', 'es'],
    ['pt-BR, it', 'en'],
    ['*', 'en'],
    ['ja;q=0, de;q=0.1', 'de'],
    ['ja;q=0', 'en'],
    ['de;q=0.5, fr;q=0.5', 'de'],
    ['de;q=abc, fr;q=0.2', 'fr'],
    ['zz, ;;;, ,,', 'en'],
  ])('%j → %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  it('reads only the start of a huge header', () => {
    expect(negotiateLanguage(`${'xx,'.repeat(10_000)}de`)).toBe('en');
  });
});

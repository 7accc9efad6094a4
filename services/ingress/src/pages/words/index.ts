import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { ja } from './ja.js';
import type { Words } from './types.js';

export { OUTCOMES, type Names, type Outcome, type OutcomeWords, type Words } from './types.js';

/** The languages pages speak; the first is the fallback. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One catalog per language: a language without one does not compile. */
export const CATALOG: Readonly<Record<Language, Words>> = { en, de, fr, es, ja };

export function wordsFor(language: Language): Words {
  return CATALOG[language];
}

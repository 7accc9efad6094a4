import { LANGUAGES, type Language } from './words/index.js';

const KNOWN: ReadonlySet<string> = new Set(LANGUAGES);

/**
 * The page language for an `Accept-Language` header: the highest-weighted range we speak,
 * by its primary subtag (`de-CH` → `de`), earlier ranges winning ties; `*` or nothing we
 * speak falls back to English. A range with `q=0` is refused, as the header says.
 * @see RFC 9110 §12.5.4, RFC 4647 §3.4 (lookup)
 */
export function negotiateLanguage(header: string | undefined): Language {
  const ranges = (header ?? '')
    .slice(0, 512)
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
      return { primary, weight: Number.isFinite(weight) ? weight : 0, order };
    })
    .filter((range) => range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { primary } of ranges) {
    if (KNOWN.has(primary)) return primary as Language;
    if (primary === '*') break;
  }
  return 'en';
}

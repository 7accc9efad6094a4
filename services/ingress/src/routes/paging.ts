import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?limit=`: 1–200, default 50. */
export const limitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_PAGE_SIZE)
  .default(DEFAULT_PAGE_SIZE)
  .describe(`Page size (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE})`);

/**
 * A page from `limit + 1` fetched rows: the extra row only says another page exists, so
 * the last page never comes back empty-handed with a cursor.
 */
export function pageOf<Row, View>(
  rows: readonly Row[],
  limit: number,
  toView: (row: Row) => View,
  cursorOf: (view: View) => string,
): { data: View[]; nextCursor: string | null } {
  const data = rows.slice(0, limit).map(toView);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

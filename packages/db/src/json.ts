/** JSON text for a jsonb parameter (see the `Jsonb` column type for why text). */
export function jsonb(value: unknown): string {
  return JSON.stringify(value);
}

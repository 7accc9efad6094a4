/** Where the CLI writes: process streams in production, memory buffers in tests. */
export interface OutputStream {
  /** Text, or the bytes of a provider's answer (`call`); false asks the writer to wait. */
  write(text: string | Uint8Array): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

/** Plain left-aligned columns, two spaces apart, headers in capitals (kubectl-style). */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers.map((header) => header.toUpperCase())), ...rows.map(line)].join('\n') + '\n';
}

/** `label: value` lines with the values aligned, for a single record. */
export function renderFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}\n`).join('');
}

/** How an absent value shows in a table. */
export const orDash = (value: string | null | undefined): string =>
  value === null || value === undefined || value === '' ? '-' : value;

/** One JSON document per call, pretty when a person is looking. */
export function writeJson(stream: OutputStream, value: unknown, pretty = stream.isTTY === true) {
  stream.write(`${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`);
}

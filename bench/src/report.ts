import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface Row {
  readonly section: string;
  readonly metric: string;
  readonly value: string;
  /** The same figure as a ratio against its baseline or goal. */
  readonly ratio: string;
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';

export function machine() {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    /** Other work on the machine skews every figure: note the 1-minute load at the end. */
    loadAvg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function table(rows: readonly Row[]): string {
  const head: Row = { section: 'section', metric: 'metric', value: 'value', ratio: 'ratio' };
  const all = [head, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((row) => row[key].length));
  const widths = (['section', 'metric', 'value', 'ratio'] as const).map((key) => width(key));
  const line = (row: Row) =>
    `| ${[row.section, row.metric, row.value, row.ratio]
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

/** bench/results/<date>[-quick]-<suffix>: where this run's files go. */
export function resultPath(mode: string, suffix: string): string {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  const date = new Date().toISOString().slice(0, 10);
  return `${dir}${date}${mode === 'quick' ? '-quick' : ''}-${suffix}`;
}

/**
 * Writes bench/results/<date>[-quick].md and .json; returns the markdown path. A run of one
 * section (`--only=proxy`) writes `<date>[-quick]-only-proxy.*`, so it never overwrites the
 * day's whole run.
 */
export async function writeResults(
  mode: string,
  rows: readonly Row[],
  raw: Record<string, unknown>,
  notes: readonly string[],
  only?: string,
): Promise<string> {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const whole = mode === 'quick' ? `${date}-quick` : date;
  const name = only === undefined ? whole : `${whole}-only-${only.replaceAll(/[^a-z0-9+]/gi, '_')}`;
  const info = machine();
  const md = [
    `# tokenlane benchmarks, ${date} (${mode})`,
    '',
    `${info.cores} cores (${info.cpu}), ${info.memoryGiB} GiB, Node ${info.node}, ${info.platform}, load average ${info.loadAvg1m} (1 min).`,
    '',
    table(rows),
    '',
    ...notes.map((note) => `${note}\n`),
    '',
  ].join('\n');
  await writeFile(`${dir}${name}.md`, md);
  const json = { date: new Date().toISOString(), mode, machine: info, rows, raw, notes };
  await writeFile(`${dir}${name}.json`, `${JSON.stringify(json, null, 2)}\n`);
  return `${dir}${name}.md`;
}

import type { OutputStream } from './output.js';

/** Reports `done` of `total` while a long job runs; `finish` ends the display. */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export interface ProgressOptions {
  /** Off with `--json`: stdout carries the document and stderr stays quiet. */
  readonly enabled: boolean;
  readonly label: string;
  readonly now?: () => number;
}

const TTY_INTERVAL_MS = 100;
const LINE_INTERVAL_MS = 2_000;
const BAR_WIDTH = 30;

const NO_PROGRESS: Progress = { update: () => undefined, finish: () => undefined };

/**
 * On a terminal, one bar redrawn in place on stderr; elsewhere (a log, a pipe), a plain line
 * on the first update and then at most every two seconds, so logs stay readable.
 */
export function createProgress(stream: OutputStream, options: ProgressOptions): Progress {
  if (!options.enabled) return NO_PROGRESS;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  const format = (done: number, total: number) =>
    formatProgress(options.label, done, total, tty ? (stream.columns ?? 80) : undefined);
  let last: { done: number; total: number } | undefined;
  let shownAt = Number.NEGATIVE_INFINITY;
  let shown = '';
  const show = (text: string) => {
    shown = text;
    shownAt = now();
    if (tty) stream.write(`\r\u001b[2K${text}`);
    else stream.write(`${text}\n`);
  };
  return {
    update(done, total) {
      last = { done, total };
      const due = now() - shownAt >= (tty ? TTY_INTERVAL_MS : LINE_INTERVAL_MS);
      if (due) show(format(done, total));
    },
    finish() {
      if (last === undefined) return;
      const text = format(last.done, last.total);
      if (tty) stream.write(`${text === shown ? '' : `\r\u001b[2K${text}`}\n`);
      else if (text !== shown) stream.write(`${text}\n`);
    },
  };
}

/** `label [#####.....] 120/300 40%`; the bar only when `columns` says there is a terminal. */
export function formatProgress(
  label: string,
  done: number,
  total: number,
  columns?: number,
): string {
  const shownDone = Math.min(done, total);
  const ratio = total === 0 ? 1 : shownDone / total;
  const counts = `${shownDone}/${total} ${Math.floor(ratio * 100)}%`;
  if (columns === undefined) return `${label}: ${counts}`;
  const width = Math.max(0, Math.min(BAR_WIDTH, columns - label.length - counts.length - 5));
  const filled = Math.round(ratio * width);
  const bar = width > 0 ? ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]` : '';
  return `${label}${bar} ${counts}`;
}

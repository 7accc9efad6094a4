import { describe, expect, it } from 'vitest';
import { createProgress, formatProgress } from './progress.js';

function stream(tty: boolean) {
  const writes: string[] = [];
  return {
    writes,
    stream: { write: (text: string) => writes.push(text), isTTY: tty, columns: 60 },
  };
}

describe('formatProgress', () => {
  it('draws a bar that fits the terminal', () => {
    expect(formatProgress('rotating', 50, 200, 60)).toBe(
      `rotating [${'#'.repeat(8)}${'.'.repeat(22)}] 50/200 25%`,
    );
    expect(formatProgress('rotating', 0, 0, 60)).toMatch(/\] 0\/0 100%$/);
  });

  it('is a plain line without a terminal, and never shows more than the total', () => {
    expect(formatProgress('rotating', 250, 200)).toBe('rotating: 200/200 100%');
  });
});

describe('createProgress', () => {
  it('redraws one line on a terminal and ends it on finish', () => {
    let now = 0;
    const { writes, stream: s } = stream(true);
    const progress = createProgress(s, { enabled: true, label: 'x', now: () => now });
    progress.update(1, 10);
    progress.update(2, 10); // within 100 ms: skipped
    now = 200;
    progress.update(3, 10);
    progress.finish();
    expect(writes.every((w) => w.startsWith('\r\u001b[2K') || w === '\n')).toBe(true);
    expect(writes).toHaveLength(3);
    expect(writes.at(-1)).toBe('\n');
  });

  it('prints the first update, then at most every two seconds, and the last one on finish', () => {
    let now = 0;
    const { writes, stream: s } = stream(false);
    const progress = createProgress(s, { enabled: true, label: 'x', now: () => now });
    progress.update(1, 10);
    now = 1_000;
    progress.update(5, 10);
    progress.update(10, 10);
    progress.finish();
    expect(writes).toEqual(['x: 1/10 10%\n', 'x: 10/10 100%\n']);
  });

  it('stays silent when disabled (--json)', () => {
    const { writes, stream: s } = stream(true);
    const progress = createProgress(s, { enabled: false, label: 'x' });
    progress.update(1, 2);
    progress.finish();
    expect(writes).toEqual([]);
  });
});

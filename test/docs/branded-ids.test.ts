import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
/** Where a string becomes an id: core's parsing functions, nowhere else. */
const PARSERS = new Set(['packages/core/src/ids.ts']);

/** `as ConnectionId`, `as LinkSessionId` and the like, in the source (tests left out). */
function idCasts(): string[] {
  const found: string[] = [];
  for (const group of ['packages', 'services']) {
    const files = readdirSync(join(root, group), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .filter((entry) => !entry.name.endsWith('.test.ts'))
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((file) => !file.includes('/node_modules/') && !file.includes('/test-support/'));
    for (const file of files) {
      const path = relative(root, file);
      if (PARSERS.has(path)) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\bas [A-Z][A-Za-z]*Id\b/.test(line)) found.push(`${path}:${String(i + 1)}`);
        });
    }
  }
  return found;
}

describe('branded ids', () => {
  it('are made only by core’s parsing functions: no `as …Id` cast anywhere else', () => {
    expect(idCasts()).toEqual([]);
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PACKAGE_ROOT = join(import.meta.dirname, '..');

/** Every module specifier a file imports or re-exports, type-only ones included. */
function specifiers(source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map(
    (match) => match[1]!,
  );
}

// The published package holds dist/ only: whatever it imports must be installed with it. A
// workspace package (`@tokenlane/core`…) is not published, so not even a type may come from one.
describe('the published package', () => {
  it('imports only its own files, Node built-ins and its declared dependencies', async () => {
    const manifest = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const allowed = Object.keys(manifest.dependencies);
    const files = (await readdir(join(PACKAGE_ROOT, 'src'), { recursive: true })).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
    );
    expect(files).toContain('index.ts');
    for (const file of files) {
      const source = await readFile(join(PACKAGE_ROOT, 'src', file), 'utf8');
      for (const specifier of specifiers(source)) {
        const ok =
          specifier.startsWith('./') ||
          specifier.startsWith('../') ||
          specifier.startsWith('node:') ||
          allowed.some((name) => specifier === name || specifier.startsWith(`${name}/`));
        expect(ok, `${file} imports ${specifier}`).toBe(true);
      }
    }
    expect(allowed.filter((name) => name.startsWith('@tokenlane/'))).toEqual([]);
  });
});

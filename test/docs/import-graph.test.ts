import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const workspaces = ['packages', 'services'].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => `${group}/${name}`),
);

/** The TypeScript files under `dir`, tests left out unless asked for. */
function sourceFiles(dir: string, withTests = false): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .filter((entry) => withTests || !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module a file names in an import or export (type-only ones too: they tie files). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);
}

/** The files a file imports relatively, as absolute paths of .ts files. */
function relativeImports(file: string): string[] {
  return specifiers(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
}

/** The strongly connected components with more than one node (or a self-loop): the cycles. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (stack.includes(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the import graph has no loops', () => {
  it('no file import cycle in any workspace', () => {
    const graph = new Map<string, Set<string>>();
    for (const workspace of workspaces) {
      for (const file of sourceFiles(join(root, workspace, 'src'))) {
        graph.set(
          relative(root, file),
          new Set(relativeImports(file).map((t) => relative(root, t))),
        );
      }
    }
    expect(cycles(graph)).toEqual([]);
  });

  it("no loop between lifecycle's folders (files at its root are the shared base and the job list)", () => {
    const src = join(root, 'packages/lifecycle/src');
    const folderOf = (file: string) => {
      const parts = relative(src, file).split('/');
      return parts.length > 1 ? parts[0]! : undefined;
    };
    const graph = new Map<string, Set<string>>();
    for (const file of sourceFiles(src)) {
      const from = folderOf(file);
      if (from === undefined) continue;
      const targets = graph.get(from) ?? new Set<string>();
      for (const target of relativeImports(file).map(folderOf)) {
        if (target !== undefined && target !== from) targets.add(target);
      }
      graph.set(from, targets);
    }
    expect(cycles(graph)).toEqual([]);
  });

  it('every workspace import is declared, and the declared packages form no cycle', () => {
    const manifests = new Map<string, { deps: string[]; dir: string }>();
    for (const dir of [...workspaces, 'test/support']) {
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const deps = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
      manifests.set(manifest.name, { deps: deps.filter((d) => d.startsWith('@tokenlane/')), dir });
    }
    for (const [name, { deps, dir }] of manifests) {
      if (dir === 'test/support') continue;
      // Tests import the shared harness (`@tokenlane/test-support`) as the suite's own; every
      // other file, test support included, imports only what its package declares.
      for (const file of sourceFiles(join(root, dir, 'src'))) {
        for (const spec of specifiers(file).filter((s) => s.startsWith('@tokenlane/'))) {
          const imported = spec.split('/').slice(0, 2).join('/');
          if (imported === name) continue;
          expect(deps, `${relative(root, file)} imports ${imported}`).toContain(imported);
        }
      }
    }
    const graph = new Map([...manifests].map(([name, { deps }]) => [name, new Set(deps)]));
    expect(cycles(graph)).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECTION_STATUSES, CONNECTION_TRANSITIONS } from '@tokenlane/core';
import { JOB_NAMES, jobNamed } from '@tokenlane/lifecycle';
import { describe, expect, it } from 'vitest';

const architecture = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');

/** The rows of the markdown table under `## heading`, as arrays of cells without backticks. */
function tableUnder(heading: string): string[][] {
  const section = architecture.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('| ---'))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replaceAll('`', '')),
    );
}

describe('docs/architecture.md tables match the code', () => {
  it('statuses and their moves are core’s transition table', () => {
    const rows = tableUnder('Connection statuses');
    expect(rows.map(([status]) => status)).toEqual([...CONNECTION_STATUSES]);
    for (const [status, moves] of rows) {
      expect(moves!.split(', ')).toEqual([
        ...CONNECTION_TRANSITIONS[status as keyof typeof CONNECTION_TRANSITIONS],
      ]);
    }
  });

  it('queues, job ids and attempts are the job definitions', () => {
    const rows = tableUnder('Queues');
    expect(rows.map(([queue]) => queue)).toEqual(JOB_NAMES);
    const sample = {
      linkSessionId: '<linkSessionId>',
      connectionId: '<connectionId>',
      tokenVersion: '<tokenVersion>',
      eventId: '<eventId>',
      migrationId: '<migrationId>',
      trigger: 'schedule',
      reason: 'api',
      claim: '<claimId>',
      ids: ['<connectionId>'],
    };
    for (const [queue, jobId, attempts] of rows) {
      const job = jobNamed(queue!)!;
      expect(job.jobId(sample as never)).toBe(jobId);
      expect(job.attempts).toBe(Number(attempts));
    }
  });

  it('packages and what each depends on are the package.json files and the imports', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const rows = tableUnder('Packages');
    const folders = ['packages', 'services'].flatMap((group) =>
      readdirSync(join(root, group)).map((name) => `${group}/${name}`),
    );
    expect(rows.map(([folder]) => folder).sort()).toEqual(folders.sort());
    for (const [folder, , dependsOn] of rows) {
      const imported = importedPackages(join(root, folder!, 'src'));
      const own = folder!.split('/')[1]!;
      imported.delete(own);
      const documented = dependsOn === '—' ? [] : dependsOn!.split(', ');
      expect(documented, `${folder} depends on`).toEqual([...imported].sort());
      // Every package imported at run time is declared, so the workspace graph is the real one.
      const manifest = JSON.parse(readFileSync(join(root, folder!, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const declared = Object.keys(manifest.dependencies ?? {})
        .filter((name) => name.startsWith('@tokenlane/'))
        .map((name) => name.slice('@tokenlane/'.length));
      for (const name of imported) expect(declared, `${folder} declares ${name}`).toContain(name);
    }
  });
});

/** The @tokenlane packages a source folder imports outside its tests and test support. */
function importedPackages(dir: string): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    if (path.includes('/test-support/')) continue;
    for (const match of readFileSync(path, 'utf8').matchAll(/from '@tokenlane\/([a-z-]+)/g)) {
      found.add(match[1]!);
    }
  }
  return found;
}

import { readFileSync } from 'node:fs';
import { CONNECTION_STATUSES, CONNECTION_TRANSITIONS } from '@tokenlane/core';
import { JOB_CATALOG, JOB_NAMES, jobIdFor } from '@tokenlane/queue';
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

  it('queues, job ids and attempts are the job catalog', () => {
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
    };
    for (const [queue, jobId, attempts] of rows) {
      const name = queue as (typeof JOB_NAMES)[number];
      expect(jobIdFor(name, sample as never)).toBe(jobId);
      expect(JOB_CATALOG[name].attempts).toBe(Number(attempts));
    }
  });
});
